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
  /** Told of an error on a pooled connection (the server ended it); the pool replaces the connection. */
  onConnectionError?: (error: Error) => void;
}

/** How long opening a connection may take before the attempt counts as failed (and is retried). */
const CONNECT_TIMEOUT_MS = 5_000;

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
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      onConnect: listenForErrors(options.onConnectionError),
    },
  };
}

/**
 * A permanent `error` listener on every connection the pool opens, for its whole life. pg-pool
 * removes its own listener from a connection when it hands it out, and TypeORM attaches one only a
 * tick later: a connection the server ends in between (57P01 after pg_terminate_backend, a restart)
 * would emit `error` with nobody listening, which ends the process. The query in flight still
 * fails with the error (and is retried or answered 503 by the caller); the pool discards the dead
 * connection and opens another.
 */
function listenForErrors(onError: (error: Error) => void = () => undefined) {
  return (client: { on(event: 'error', listener: (error: Error) => void): unknown }): void => {
    client.on('error', onError);
  };
}
