import { ServiceName } from '@valley/contracts';
import { EventHandler, InboxMessage, KafkajsTransport, replayHistory } from '@valley/messaging';
import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '../config/service-config';
import { ServiceDatabaseOptions, serviceDataSourceOptions } from '../database/database-options';
import { createLogger } from '../logging/logger';

export interface RebuildOptions {
  service: ServiceName;
  config: ServiceConfig;
  database: Omit<ServiceDatabaseOptions, 'url' | 'schema'>;
  /**
   * The read model's tables: emptied (with the handler's inbox rows) before the replay, analysed
   * after it (so that the planner knows the new tables at once, not after autovacuum).
   */
  tables: (dataSource: DataSource) => string[];
  /** The same handler the live consumer uses, built on this data source. */
  createHandler: (dataSource: DataSource) => EventHandler;
  /** Draw a progress bar on stderr (the command line); off in tests. */
  progressBar?: boolean;
  /** Partitions replayed at the same time (see ReplayOptions); 1 unless the handler allows more. */
  partitionsConcurrently?: number;
}

export interface RebuildResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** What a service's rebuild (and its command) is asked: draw a progress bar on stderr or not. */
export interface RebuildRunOptions {
  progressBar?: boolean;
}

/**
 * Drops a read model and replays the whole history from Kafka through the live handler.
 * Run it with the service's live consumer stopped; afterwards the live consumer goes on from
 * its committed offsets, and anything it sees again is skipped by the inbox.
 */
export async function runRebuild(options: RebuildOptions): Promise<RebuildResult> {
  const logger = createLogger(`${options.service}-rebuild`, options.config.LOG_LEVEL);
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url: options.config.DATABASE_URL, schema: options.service, ...options.database }),
  ).initialize();
  const transport = new KafkajsTransport({
    clientId: `valley-${options.service}-rebuild`,
    brokers: options.config.KAFKA_BROKERS,
    topicPrefix: options.config.KAFKA_TOPIC_PREFIX,
    logger,
  });
  const bar = options.progressBar
    ? new SingleBar(
        { format: `${options.service} rebuild [{bar}] {percentage}% {value}/{total} events, {eta}s left` },
        Presets.shades_classic,
      )
    : null;
  try {
    const handler = options.createHandler(dataSource);
    const tables = options.tables(dataSource);
    await dataSource.transaction(async (manager) => {
      await manager.query(`TRUNCATE ${tables.join(', ')}`);
      await manager.getRepository(InboxMessage).delete({ consumer: handler.consumerName });
    });
    const started = Date.now();
    let barStarted = false;
    const result = await replayHistory({
      service: options.service,
      transport,
      handler,
      logger,
      partitionsConcurrently: options.partitionsConcurrently,
      onProgress: ({ read, total }) => {
        if (!bar) return;
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(read);
      },
    });
    bar?.stop();
    await dataSource.query(`ANALYZE ${tables.join(', ')}`);
    const seconds = (Date.now() - started) / 1000;
    return { events: result.read, seconds, eventsPerSecond: result.read / Math.max(seconds, 0.001) };
  } finally {
    bar?.stop();
    await transport.close();
    await dataSource.destroy();
  }
}
