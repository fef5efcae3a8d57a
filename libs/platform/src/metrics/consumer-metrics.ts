import {
  ConsumerLagMonitor,
  ConsumerLagSnapshot,
  ConsumerRegistry,
  DeadLetterReason,
  MessagingMetricsSink,
} from '@valley/messaging';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const DEAD_LETTER_REASONS: readonly DeadLetterReason[] = ['malformed', 'permanent', 'exhausted'];

/** Fine buckets for the hops of an event (published → received → applied), from 0.5 ms to 10 s. */
export const HOP_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
/** Events per handled chunk (a chunk holds at most 500). */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/**
 * libs/messaging's measurements as Prometheus metrics in the service's registry: what every
 * consumer group handled, retried and dead-lettered, its batches, the hops of its events, and
 * the outbox relay's publish delay (only where the service has an outbox).
 */
export class PrometheusMessagingMetrics implements MessagingMetricsSink {
  private readonly handled: Counter<'consumer'>;
  private readonly retried: Counter<'consumer'>;
  private readonly deadLettered: Counter<'consumer' | 'reason'>;
  private readonly infrastructureWaits: Counter<'consumer'>;
  private readonly batchSize: Histogram<'consumer'>;
  private readonly batchSeconds: Histogram<'consumer'>;
  private readonly receiveSeconds: Histogram<'consumer'>;
  private readonly applySeconds: Histogram<'consumer'>;
  private readonly publishSeconds: Histogram | null;

  constructor(registry: Registry, options: { outbox: boolean }) {
    const registers = [registry];
    this.handled = new Counter({
      name: 'valley_consumer_events_handled_total',
      help: 'Events a consumer group’s handler applied (its transaction committed).',
      labelNames: ['consumer'],
      registers,
    });
    this.retried = new Counter({
      name: 'valley_consumer_events_retried_total',
      help: 'Event attempts beyond the first because the event or its chunk failed (not counting infrastructure waits).',
      labelNames: ['consumer'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'valley_consumer_events_dead_lettered_total',
      help: 'Events sent to the dead-letter topic, by reason: malformed, permanent (refused) or exhausted (kept failing).',
      labelNames: ['consumer', 'reason'],
      registers,
    });
    this.infrastructureWaits = new Counter({
      name: 'valley_consumer_infrastructure_waits_total',
      help: 'Tries again of a call that failed because of the database or the broker (the partition waits).',
      labelNames: ['consumer'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'valley_consumer_batch_size',
      help: 'Events applied by one successful handle call (one transaction).',
      labelNames: ['consumer'],
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'valley_consumer_batch_handling_seconds',
      help: 'Duration of one successful handle call (one transaction).',
      labelNames: ['consumer'],
      buckets: HOP_BUCKETS,
      registers,
    });
    this.receiveSeconds = new Histogram({
      name: 'valley_consumer_receive_delay_seconds',
      help: 'Per event: from its Kafka timestamp (produced) until its batch reached the consumer.',
      labelNames: ['consumer'],
      buckets: HOP_BUCKETS,
      registers,
    });
    this.applySeconds = new Histogram({
      name: 'valley_consumer_apply_delay_seconds',
      help: 'Per event: from its batch reaching the consumer until the handler’s transaction committed it.',
      labelNames: ['consumer'],
      buckets: HOP_BUCKETS,
      registers,
    });
    this.publishSeconds = options.outbox
      ? new Histogram({
          name: 'valley_outbox_publish_delay_seconds',
          help: 'Per published outbox row: from the row’s creation until the broker acknowledged it.',
          buckets: HOP_BUCKETS,
          registers,
        })
      : null;
  }

  consumerStarted(consumer: string): void {
    for (const counter of [this.handled, this.retried, this.infrastructureWaits]) counter.inc({ consumer }, 0);
    for (const reason of DEAD_LETTER_REASONS) this.deadLettered.inc({ consumer, reason }, 0);
    for (const histogram of [this.batchSize, this.batchSeconds, this.receiveSeconds, this.applySeconds]) {
      histogram.zero({ consumer });
    }
  }

  eventsHandled(consumer: string, count: number): void {
    this.handled.inc({ consumer }, count);
  }

  eventsRetried(consumer: string, count: number): void {
    this.retried.inc({ consumer }, count);
  }

  eventsDeadLettered(consumer: string, reason: DeadLetterReason, count: number): void {
    this.deadLettered.inc({ consumer, reason }, count);
  }

  infrastructureWait(consumer: string): void {
    this.infrastructureWaits.inc({ consumer });
  }

  batchHandled(consumer: string, size: number, seconds: number): void {
    this.batchSize.observe({ consumer }, size);
    this.batchSeconds.observe({ consumer }, seconds);
  }

  receiveDelay(consumer: string, seconds: number): void {
    this.receiveSeconds.observe({ consumer }, seconds);
  }

  applyDelay(consumer: string, seconds: number): void {
    this.applySeconds.observe({ consumer }, seconds);
  }

  outboxPublishDelay(seconds: number): void {
    this.publishSeconds?.observe(seconds);
  }
}

/**
 * The gauges read at scrape time: whether each consumer group is consuming, how far behind it is
 * on each partition, the age of its oldest unprocessed event, and whether reading the offsets
 * fails (the lag gauges then keep the last values read).
 */
export function registerConsumerGauges(
  registry: Registry,
  consumers: ConsumerRegistry,
  lag?: ConsumerLagMonitor,
): void {
  const registers = [registry];
  new Gauge({
    name: 'valley_consumer_up',
    help: '1 while the consumer group is running (joined, not stalled), else 0 (joining, stalled, restarting).',
    labelNames: ['consumer'],
    registers,
    collect() {
      this.reset();
      for (const { name, status } of consumers.list()) this.set({ consumer: name }, status.isReady ? 1 : 0);
    },
  });
  if (!lag) return;
  // The gauges are collected concurrently: they share the monitor's read of the offsets (and its cache).
  const read = (): Promise<ConsumerLagSnapshot> => lag.read();
  new Gauge({
    name: 'valley_consumer_lag_messages',
    help: 'Messages the consumer group is behind on the partition: latest offset minus committed offset.',
    labelNames: ['consumer', 'topic', 'partition'],
    registers,
    async collect() {
      const snapshot = await read();
      this.reset();
      for (const [consumer, of] of Object.entries(snapshot.consumers)) {
        for (const p of of.partitions) this.set({ consumer, topic: p.topic, partition: String(p.partition) }, p.lag);
      }
    },
  });
  new Gauge({
    name: 'valley_consumer_oldest_unprocessed_age_seconds',
    help: 'Age of the oldest event the consumer group has not processed yet (0 when caught up; see ConsumerLag).',
    labelNames: ['consumer'],
    registers,
    async collect() {
      const snapshot = await read();
      this.reset();
      for (const [consumer, of] of Object.entries(snapshot.consumers)) {
        this.set({ consumer }, of.oldestUnprocessedAgeSeconds);
      }
    },
  });
  new Gauge({
    name: 'valley_consumer_lag_scrape_failing',
    help: '1 while reading the consumer groups’ offsets fails (the lag gauges keep the last values read), else 0.',
    registers,
    async collect() {
      this.set((await read()).failing ? 1 : 0);
    },
  });
}
