import { DynamicModule, INestApplication } from '@nestjs/common';
import { ConfigError } from '../config/load-config';
import { AppDescription, configureApp } from './configure-app';
import { createNestApp, HttpPlatform } from './http-platform';

/**
 * Starts a service from its main.ts. A configuration error stops it with a message that
 * names each bad variable, and exit code 78 (EX_CONFIG).
 */
export async function bootstrapService(
  createModule: () => { module: DynamicModule; port: number },
  description: AppDescription,
  platform: HttpPlatform = 'express',
): Promise<INestApplication> {
  let built: { module: DynamicModule; port: number };
  try {
    built = createModule();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${description.title}: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createNestApp(built.module, platform, { bufferLogs: true });
  configureApp(app, description);
  // Every interface, as in a container (Fastify alone would listen on localhost only).
  await (platform === 'fastify' ? app.listen(built.port, '0.0.0.0') : app.listen(built.port));
  return app;
}
