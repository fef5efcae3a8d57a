import { isSecretTopic } from '@valley/contracts';
import { DataSource } from 'typeorm';
import { errorMessage } from '../failures/failure-kind';
import { LogSink } from '../logging';
import { MessagingMetrics } from '../metrics/consumer-metrics';
import { PollingWorker } from '../polling/polling-worker';
import { endPublishSpans, startPublishSpan } from '../tracing/trace-context';
import { MessageProducer } from '../transport/message-transport';
import { OutboxMessage } from './outbox-message.entity';

export interface OutboxRelayOptions {
  batchSize: number;
  /** How often an idle relay looks for new rows; `wake()` cuts the wait short. */
  pollIntervalMs: number;
  /** Where the publish delay of each row goes (valley_outbox_publish_delay_seconds). */
  metrics?: MessagingMetrics;
}

export interface OutboxLag {
  waiting: number;
  oldestWaitingAgeMs: number | null;
}

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
  private readonly worker: PollingWorker;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: MessageProducer,
    logger: LogSink,
    private readonly options: OutboxRelayOptions,
  ) {
    // Backoff capped low (0.5 s doubling to 5 s): a round is one cheap query while the broker is
    // away, and events wait on it.
    this.worker = new PollingWorker(
      async () => ((await this.publishPendingBatch()) < this.options.batchSize ? undefined : 0),
      { name: 'outbox relay', component: 'outbox-relay', logger, intervalMs: options.pollIntervalMs },
    );
  }

  start(): void {
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }

  /** Publish soon: call after committing a transaction that appended events. */
  wake(): void {
    this.worker.wake();
  }

  /** Why the last round failed (its error's message), or null. */
  get failing(): string | null {
    const failure = this.worker.failure;
    return failure ? errorMessage(failure.error, { name: false }) : null;
  }

  /** Publishes one batch if this instance holds the relay lock; returns how many rows it sent. */
  async publishPendingBatch(): Promise<number> {
    const table = this.dataSource.getRepository(OutboxMessage).metadata.tablePath;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
        `${table}:relay`,
      ]);
      if (!locked) return 0;
      const selected = performance.now();
      // age_ms: the row's age on the database's clock, so that the delay does not depend on two clocks agreeing.
      const rows: {
        id: string;
        event_id: string;
        topic: string;
        message_key: string;
        envelope: string;
        age_ms: number;
        traceparent: string | null;
        tracestate: string | null;
      }[] = await manager.query(
        // envelope as text: it goes out as the JSON it is, not parsed into objects and written again.
        `SELECT id, event_id, topic, message_key, envelope::text AS envelope, traceparent, tracestate,
                  (EXTRACT(EPOCH FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms
           FROM ${table} WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return 0;
      // A `send` span per row, child of the request that appended it; its context goes as headers.
      const traces = rows.map((row) => startPublishSpan(row, { 'messaging.message.id': row.event_id }));
      try {
        await this.producer.send(
          rows.map((row, i) => ({
            topic: row.topic,
            key: row.message_key,
            value: row.envelope,
            headers: traces[i].headers,
          })),
        );
      } catch (error) {
        endPublishSpans(traces, error);
        throw error;
      }
      endPublishSpans(traces);
      if (this.options.metrics) {
        const sink = this.options.metrics.sink;
        const sent = performance.now() - selected;
        for (const row of rows) sink.outboxPublishDelay(Math.max(0, Number(row.age_ms) + sent) / 1000);
      }
      await manager.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((row) => row.id),
      ]);
      // A row of a secret topic loses its payload once published: only Kafka holds it, and briefly.
      const secret = rows.filter((row) => isSecretTopic(row.topic)).map((row) => row.id);
      if (secret.length > 0) {
        await manager.query(
          `UPDATE ${table} SET envelope = jsonb_set(envelope, '{payload}', '{"erased": "published to a secret topic"}')
           WHERE id = ANY($1::bigint[])`,
          [secret],
        );
      }
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
}
