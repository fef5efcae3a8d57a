import { DataSource } from 'typeorm';
import { LogSink } from '../logging';
import { MessageProducer } from '../transport/message-transport';
import { OutboxMessage } from './outbox-message.entity';

export interface OutboxRelayOptions {
  batchSize: number;
  /** How often an idle relay looks for new rows; `wake()` cuts the wait short. */
  pollIntervalMs: number;
}

export interface OutboxLag {
  waiting: number;
  oldestWaitingAgeMs: number | null;
}

const sleep = (ms: number, signal: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/**
 * Publishes committed outbox rows to Kafka, oldest first, then marks them published.
 *
 * One relay publishes at a time, across every instance of the service: each round holds a
 * transaction-scoped advisory lock, and an instance that cannot take it waits for the next
 * round. That keeps per-aggregate order without coordinating instances.
 *
 * A crash between Kafka's acknowledgement and the commit leaves rows unmarked: the next
 * round publishes them again. Consumers drop such duplicates by eventId (the inbox), so
 * delivery is at least once and the effect exactly once.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly waker: { wake?: () => void } = {};
  private lastError: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: MessageProducer,
    private readonly logger: LogSink,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.waker.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Publish soon: call after committing a transaction that appended events. */
  wake(): void {
    this.waker.wake?.();
  }

  get failing(): string | null {
    return this.lastError;
  }

  /** Publishes one batch if this instance holds the relay lock; returns how many rows it sent. */
  async publishPendingBatch(): Promise<number> {
    const table = this.dataSource.getRepository(OutboxMessage).metadata.tablePath;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
        `${table}:relay`,
      ]);
      if (!locked) return 0;
      const rows: { id: string; topic: string; message_key: string; envelope: object }[] = await manager.query(
        `SELECT id, topic, message_key, envelope FROM ${table}
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return 0;
      await this.producer.send(
        rows.map((row) => ({ topic: row.topic, key: row.message_key, value: JSON.stringify(row.envelope) })),
      );
      await manager.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    });
  }

  /**
   * Deletes rows published before `publishedBefore`, in batches so that no statement holds many
   * locks for long; unpublished rows are never touched. Returns how many rows it deleted.
   */
  async deletePublished(publishedBefore: Date, batchSize = 5_000): Promise<number> {
    const table = this.dataSource.getRepository(OutboxMessage).metadata.tablePath;
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM ${table} WHERE id IN (
           SELECT id FROM ${table} WHERE published_at IS NOT NULL AND published_at < $1 ORDER BY id LIMIT $2
         )`,
        [publishedBefore, batchSize],
      );
      deleted += count;
      if (count < batchSize) return deleted;
    }
  }

  async lag(): Promise<OutboxLag> {
    const table = this.dataSource.getRepository(OutboxMessage).metadata.tablePath;
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS waiting,
              (EXTRACT(EPOCH FROM now() - min(created_at)) * 1000)::bigint AS oldest
       FROM ${table} WHERE published_at IS NULL`,
    );
    return { waiting: row.waiting, oldestWaitingAgeMs: row.oldest === null ? null : Number(row.oldest) };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const sent = await this.publishPendingBatch();
        if (failures > 0) this.logger.info({ component: 'outbox-relay' }, 'outbox relay recovered');
        failures = 0;
        this.lastError = null;
        if (sent < this.options.batchSize) await sleep(this.options.pollIntervalMs, this.waker);
      } catch (error) {
        failures++;
        this.lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.logger.error({ component: 'outbox-relay', err: error, retryInMs: delay }, 'outbox relay failed');
        await sleep(delay, this.waker);
      }
    }
  }
}
