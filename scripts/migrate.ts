/**
 * npm run migrate [-- <service> ...]: creates the database, roles and schemas if missing,
 * then runs each service's pending migrations. Migrations never run implicitly.
 */
import { ServiceName, ServiceNames } from '@valley/contracts';
import { DEFAULT_DATABASE_URL, provisionDatabase } from './infra/postgres';
import { migrateService } from './infra/service-databases';

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const asked = process.argv.slice(2);
  const unknown = asked.filter((s) => !(ServiceNames as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${ServiceNames.join(', ')}`);
  const services = (asked.length > 0 ? asked : ServiceNames) as ServiceName[];
  await provisionDatabase(adminUrl);
  for (const service of services) {
    const ran = await migrateService(adminUrl, service);
    console.log(`${service}: ${ran.length === 0 ? 'up to date' : `ran ${ran.join(', ')}`}`);
  }
}

main().catch((error) => {
  console.error(`migrate failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
