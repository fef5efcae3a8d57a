import { ServiceName } from '@valley/contracts';

/** DEV ONLY: the password of every service role when SERVICE_DB_PASSWORD is not set. */
const DEV_SERVICE_DB_PASSWORD = 'valley-dev-only';

/** Each service logs in as its own role, which owns its schema and reaches nothing else. */
export function serviceRole(service: ServiceName): string {
  return `valley_${service}`;
}

export function serviceDbPassword(): string {
  return process.env.SERVICE_DB_PASSWORD || DEV_SERVICE_DB_PASSWORD;
}

/** The URL a service connects with: its own login role, on the server and database of `adminUrl`. */
export function serviceDatabaseUrl(adminUrl: string, service: ServiceName): string {
  const url = new URL(adminUrl);
  url.username = serviceRole(service);
  url.password = serviceDbPassword();
  return url.toString();
}
