import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '../config/load-config';
import { AppDescription, configureApp } from './configure-app';

/**
 * Starts a service from its main.ts. A configuration error stops it with a message that
 * names each bad variable, and exit code 78 (EX_CONFIG).
 */
export async function bootstrapService(
  createModule: () => { module: DynamicModule; port: number },
  description: AppDescription,
): Promise<NestExpressApplication> {
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
  const app = await NestFactory.create<NestExpressApplication>(built.module, { bufferLogs: true });
  configureApp(app, description);
  await app.listen(built.port);
  return app;
}
