import { Injectable } from '@nestjs/common';
import { IncomingMessage } from '../transport/message-transport';

/** Why an event went to the dead letters: it could not be read, the handler refused it, or it kept failing. */
export type DeadLetterReason = 'malformed' | 'permanent' | 'exhausted';

/**
 * Where this library's measurements go. libs/messaging records, it does not export: a service
 * plugs in its Prometheus registry (libs/platform's PrometheusMessagingMetrics) with
 * `MessagingMetrics.use`. Every method must be cheap and must not throw.
 */
export interface MessagingMetricsSink {
  /**
   * A consumer group starts in this process: its series can start at zero (so that the first
   * dead letter is an increase, not a series appearing at 1).
   */
  consumerStarted(consumer: string): void;
  /** Events a handler applied (its transaction committed). */
  eventsHandled(consumer: string, count: number): void;
  /** Event attempts beyond the first because the event (or the chunk it was in) failed. */
  eventsRetried(consumer: string, count: number): void;
  eventsDeadLettered(consumer: string, reason: DeadLetterReason, count: number): void;
  /** One more try of a call that failed because of the infrastructure (the database, the broker). */
  infrastructureWait(consumer: string): void;
  /** One successful `handle` call: how many events it applied and how long it took. */
  batchHandled(consumer: string, size: number, seconds: number): void;
  /** Per event: from its Kafka timestamp (produced) to its batch reaching the consumer. */
  receiveDelay(consumer: string, seconds: number): void;
  /** Per event: from its batch reaching the consumer to the handler's transaction committing it. */
  applyDelay(consumer: string, seconds: number): void;
  /** Per published outbox row: from the row's creation to the broker's acknowledgement. */
  outboxPublishDelay(seconds: number): void;
}

const noop = () => undefined;

/** Measures nothing: the default until a service plugs its registry in, and for tests. */
export const NO_MESSAGING_METRICS: MessagingMetricsSink = {
  consumerStarted: noop,
  eventsHandled: noop,
  eventsRetried: noop,
  eventsDeadLettered: noop,
  infrastructureWait: noop,
  batchHandled: noop,
  receiveDelay: noop,
  applyDelay: noop,
  outboxPublishDelay: noop,
};

/**
 * One per application (MessagingModule provides it): the consumers and the outbox relay record
 * through it, into whichever sink the service plugged in (one Prometheus registry per app).
 */
@Injectable()
export class MessagingMetrics {
  private current: MessagingMetricsSink = NO_MESSAGING_METRICS;

  /** Where the measurements go from now on. */
  use(sink: MessagingMetricsSink): void {
    this.current = sink;
  }

  get sink(): MessagingMetricsSink {
    return this.current;
  }

  /** The instruments of one consumer group. */
  consumer(name: string, now: () => number = Date.now): ConsumerInstruments {
    this.current.consumerStarted(name);
    return new ConsumerInstruments(name, () => this.current, now);
  }
}

/** The batch of one partition a consumer is working on. */
interface InFlightBatch {
  messages: IncomingMessage[];
  receivedAt: number;
  /** When it was received, on the monotonic clock. */
  receivedMonotonic: number;
  /** Index of the first message not yet marked processed. */
  next: number;
}

/**
 * What an EventBatchProcessor reports about one consumer group, and what it holds right now: the
 * events received but not yet applied (or dead-lettered), for the oldest unprocessed event's age.
 */
export class ConsumerInstruments {
  private readonly inFlight = new Map<string, InFlightBatch>();

  constructor(
    readonly consumer: string,
    private readonly sink: () => MessagingMetricsSink,
    /** The wall clock (Kafka timestamps are on it). */
    private readonly now: () => number = Date.now,
    /** A monotonic clock with sub-millisecond precision, for the time from receiving to applying. */
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /** A partition's batch reached the consumer. */
  received(messages: IncomingMessage[]): void {
    if (messages.length === 0) return;
    const receivedAt = this.now();
    this.inFlight.set(partitionKey(messages[0]), {
      messages,
      receivedAt,
      receivedMonotonic: this.monotonic(),
      next: 0,
    });
    const sink = this.sink();
    for (const message of messages) {
      const produced = producedAt(message);
      if (produced !== null) sink.receiveDelay(this.consumer, Math.max(0, receivedAt - produced) / 1000);
    }
  }

  /** One `handle` call applied these events (their transaction committed), in `seconds`. */
  applied(messages: IncomingMessage[], seconds: number): void {
    if (messages.length === 0) return;
    const sink = this.sink();
    sink.eventsHandled(this.consumer, messages.length);
    sink.batchHandled(this.consumer, messages.length, seconds);
    const now = this.monotonic();
    for (const message of messages) {
      const batch = this.inFlight.get(partitionKey(message));
      if (batch) sink.applyDelay(this.consumer, Math.max(0, now - batch.receivedMonotonic) / 1000);
    }
  }

  retried(count: number): void {
    if (count > 0) this.sink().eventsRetried(this.consumer, count);
  }

  deadLettered(reason: DeadLetterReason, count: number): void {
    if (count > 0) this.sink().eventsDeadLettered(this.consumer, reason, count);
  }

  infrastructureWait(): void {
    this.sink().infrastructureWait(this.consumer);
  }

  /** This message and every one before it in its partition's batch are done (applied, skipped or dead-lettered). */
  processed(message: IncomingMessage): void {
    const batch = this.inFlight.get(partitionKey(message));
    if (!batch) return;
    const index = batch.messages.indexOf(message, batch.next);
    if (index >= 0) batch.next = index + 1;
  }

  /** The consumer is done with the batch (finished, or gave it back to be redelivered). */
  released(messages: IncomingMessage[]): void {
    if (messages.length === 0) return;
    const key = partitionKey(messages[0]);
    if (this.inFlight.get(key)?.messages === messages) this.inFlight.delete(key);
  }

  /**
   * Per partition (`topic:partition`), when the oldest event received and not yet processed was
   * produced (its Kafka timestamp, else when it was received), in ms since the epoch.
   */
  oldestInFlight(): Map<string, number> {
    const oldest = new Map<string, number>();
    for (const [key, batch] of this.inFlight) {
      const first = batch.messages[batch.next];
      if (first) oldest.set(key, producedAt(first) ?? batch.receivedAt);
    }
    return oldest;
  }
}

export function partitionKey(message: { topic: string; partition: number }): string {
  return `${message.topic}:${message.partition}`;
}

function producedAt(message: IncomingMessage): number | null {
  const timestamp = message.timestamp;
  return timestamp !== undefined && Number.isFinite(timestamp) && timestamp > 0 ? timestamp : null;
}
