import { ServiceName } from '@valley/contracts';
import { ServiceDatabaseOptions, serviceDataSourceOptions } from '@valley/platform';
import { DataSource } from 'typeorm';
import { directoryDatabase } from '../../services/directory/src/database/directory-database';
import { membershipDatabase } from '../../services/membership/src/database/membership-database';
import { notificationsDatabase } from '../../services/notifications/src/database/notifications-database';
import { reportingDatabase } from '../../services/reporting/src/database/reporting-database';
import { serviceDatabaseUrl } from '@valley/platform';

/** Each service's tables and migrations, for the tooling that runs migrations (never for a service). */
export const serviceDatabases: Record<ServiceName, Omit<ServiceDatabaseOptions, 'url' | 'schema'>> = {
  membership: membershipDatabase,
  directory: directoryDatabase,
  notifications: notificationsDatabase,
  reporting: reportingDatabase,
};

export function serviceDataSource(adminUrl: string, service: ServiceName): DataSource {
  return new DataSource(
    serviceDataSourceOptions({
      url: serviceDatabaseUrl(adminUrl, service),
      schema: service,
      ...serviceDatabases[service],
      poolSize: 2,
    }),
  );
}

/** Runs a service's pending migrations as the service's own role; returns their names. */
export async function migrateService(adminUrl: string, service: ServiceName): Promise<string[]> {
  const dataSource = await serviceDataSource(adminUrl, service).initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
