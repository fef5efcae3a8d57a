import { ServiceName } from '@valley/contracts';
import { serviceDatabaseUrl } from '../database/service-roles';
import { loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

/** DEV ONLY: the local server `npm start` uses. */
const DEV_ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/valley';
/** DEV ONLY: commands do not check tokens, but the shared config class requires a secret. */
const DEV_COMMAND_JWT_SECRET = 'valley-dev-only-jwt-secret-change-me';

/**
 * Configuration for a service's command-line tools (rebuild, import, demo): the service's own
 * variables when set, as in production; on a developer's machine, where they usually are not,
 * the service's role on the local `valley` database (or on VALLEY_ADMIN_DATABASE_URL's server).
 */
export function loadCommandConfig<T extends ServiceConfig>(
  service: ServiceName,
  configClass: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const adminUrl = env.VALLEY_ADMIN_DATABASE_URL || DEV_ADMIN_DATABASE_URL;
  return loadConfig(configClass, {
    ...env,
    DATABASE_URL: env.DATABASE_URL || serviceDatabaseUrl(adminUrl, service),
    AUTH_JWT_SECRET: env.AUTH_JWT_SECRET || DEV_COMMAND_JWT_SECRET,
  });
}
