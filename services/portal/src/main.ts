import './tracing';
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@valley/platform';
import { PortalConfig } from './portal.config';
import { createPortalApp } from './portal-app';

/** Starts the portal. A configuration error stops it with a message naming each bad variable, exit code 78. */
async function main(): Promise<void> {
  let config: PortalConfig;
  try {
    config = loadConfig(PortalConfig);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Valley portal: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createPortalApp(config);
  await app.listen(config.PORT);
}

void main();
