import { DataSourceOptions } from 'typeorm';
import { InboxMessage, OutboxMessage } from '@valley/messaging';

export interface ServiceDatabaseOptions {
  /** The service's own login role URL. */
  url: string;
  /** The one schema the service owns. */
  schema: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  /** Which messaging tables this service has (they are created by its own migrations). */
  inbox?: boolean;
  outbox?: boolean;
  poolSize?: number;
}

/**
 * TypeORM options every service uses: its own schema, migrations run by an explicit
 * command (never `synchronize`), a migrations table inside its schema.
 */
export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  const entities = [
    ...(Array.isArray(options.entities) ? options.entities : []),
    ...(options.inbox ? [InboxMessage] : []),
    ...(options.outbox ? [OutboxMessage] : []),
  ];
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: `valley-${options.schema}`,
    extra: { max: options.poolSize ?? 10 },
  };
}
