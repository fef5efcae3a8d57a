import { decodeParsedEvent, EventType, parseEnvelopeJson, TypedEvent } from '@valley/contracts';
import { LogSink } from '../logging';
import { BatchControl, IncomingMessage } from '../transport/message-transport';
import { classifyFailure, errorMessage, FailureKindsByCode } from '../failures/failure-kind';
import { ConsumerInstruments } from '../metrics/consumer-metrics';
import { withHandlingSpans } from '../tracing/trace-context';
import { ConsumerStatus } from './consumer-status';
import { DeadLetter, DeadLetterPublisher } from './dead-letter';
import { EventHandler } from './event-handler';
import { backoffDelay, PermanentEventError, RetryPolicy } from './retry-policy';

/** Messages decoded between two yields to the event loop. */
const DECODE_SLICE = 100;

/** A well-formed type name; a malformed one is left to envelope validation (and the dead letters). */
const isPlainType = (type: string) => /^[A-Z][A-Za-z]+$/.test(type);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Decoded {
  message: IncomingMessage;
  event: TypedEvent;
}

export interface EventBatchProcessorOptions {
  chunkSize: number;
  wait?: (ms: number) => Promise<void>;
  /** Where /health reads whether this consumer is stalled, and why. */
  status?: ConsumerStatus;
  /** The service's own error codes and the kind each stands for (see classifyFailure). */
  failureKinds?: FailureKindsByCode;
  /** Counts and times what this consumer does, and holds what it has received but not applied yet. */
  metrics?: ConsumerInstruments;
}

/** The consumer stopped or lost the partition while waiting: the batch's rest will be redelivered. */
export class ConsumerStoppedError extends Error {
  override readonly name = 'ConsumerStoppedError';
}

/**
 * Turns one Kafka batch into handler calls with bounded retries and dead letters.
 *
 * - Messages are taken in chunks; each chunk is handed over in one `handle` call (one
 *   transaction in the service), so catching up after downtime costs one commit per chunk.
 * - A failure of the infrastructure (see classifyFailure: the database or the broker) is waited
 *   out: the same call is tried again with capped backoff for as long as it lasts, heartbeating,
 *   while the partition waits in order and the status says the consumer is stalled and why. It
 *   never uses up an event's tries and never sends an event to the dead letters.
 * - If a chunk fails for any other reason, its events are retried one at a time with exponential
 *   backoff, so a single poison event cannot take its neighbours to the dead-letter topic.
 * - Malformed events, permanent errors and events still failing after the last attempt go
 *   to the dead-letter topic with the reason; the consumer moves on. Offsets are marked only
 *   after an event was applied or dead-lettered: nothing is acknowledged that was not handled.
 */
export class EventBatchProcessor {
  private readonly handled: ReadonlySet<EventType>;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(
    private readonly handler: EventHandler,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly retry: RetryPolicy,
    private readonly logger: LogSink,
    private readonly options: EventBatchProcessorOptions = { chunkSize: 500 },
  ) {
    this.handled = new Set(handler.handles);
    this.wait = options.wait ?? sleep;
  }

  async process(messages: IncomingMessage[], control: BatchControl): Promise<void> {
    this.options.metrics?.received(messages);
    try {
      await this.processChunks(messages, control);
    } finally {
      this.options.metrics?.released(messages);
    }
  }

  private async processChunks(messages: IncomingMessage[], control: BatchControl): Promise<void> {
    const chunks: IncomingMessage[][] = [];
    for (let start = 0; start < messages.length; start += this.options.chunkSize) {
      chunks.push(messages.slice(start, start + this.options.chunkSize));
    }
    // Decoding (CPU, here) of the next chunk overlaps with applying the current one (mostly
    // Postgres, in another process): the decoder yields to the event loop between slices.
    let next = chunks.length > 0 ? this.decodeChunk(chunks[0]) : null;
    for (let i = 0; i < chunks.length; i++) {
      const decoded = await next!;
      next = i + 1 < chunks.length ? this.decodeChunk(chunks[i + 1]) : null;
      if (!control.isActive()) return;
      await this.applyChunk(decoded, control);
      control.markProcessed(chunks[i][chunks[i].length - 1]);
      this.options.metrics?.processed(chunks[i][chunks[i].length - 1]);
      await control.heartbeat();
    }
  }

  private async decodeChunk(chunk: IncomingMessage[]): Promise<{ accepted: Decoded[]; rejected: DeadLetter[] }> {
    const accepted: Decoded[] = [];
    const rejected: DeadLetter[] = [];
    for (let i = 0; i < chunk.length; i++) {
      if (i > 0 && i % DECODE_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const message = chunk[i];
      const parsed = parseEnvelopeJson(message.value);
      if (!('json' in parsed)) {
        rejected.push({ message, reason: parsed.reason, attempts: 0 });
        continue;
      }
      // Events of types this consumer does not act on are acknowledged unread: not ours to judge.
      const type = parsed.json.type;
      if (typeof type === 'string' && isPlainType(type) && !this.handled.has(type as EventType)) continue;
      const decoded = decodeParsedEvent(parsed.json);
      if (decoded.ok) {
        if (this.handled.has(decoded.event.type)) accepted.push({ message, event: decoded.event });
      } else if ('reason' in decoded) {
        rejected.push({ message, reason: decoded.reason, attempts: 0 });
      }
    }
    return { accepted, rejected };
  }

  private async applyChunk(
    { accepted, rejected }: { accepted: Decoded[]; rejected: DeadLetter[] },
    control: BatchControl,
  ): Promise<void> {
    if (rejected.length > 0) {
      this.logger.warn(
        { consumer: this.handler.consumerName, count: rejected.length },
        'malformed events dead-lettered',
      );
      await this.publishDeadLetters(rejected, control);
      this.options.metrics?.deadLettered('malformed', rejected.length);
    }
    if (accepted.length === 0) return;
    if (accepted.length === 1) return this.processOne(accepted[0], control);

    const failure = await this.waitingOutInfrastructure(
      () =>
        this.timed(accepted, () =>
          withHandlingSpans(this.handler.consumerName, accepted, () =>
            this.handler.handle(accepted.map((d) => d.event)),
          ),
        ),
      control,
    );
    if (failure === null) return;
    this.options.metrics?.retried(accepted.length);
    this.logger.warn(
      { consumer: this.handler.consumerName, err: failure, count: accepted.length },
      'batch failed; retrying its events one at a time',
    );
    for (const item of accepted) {
      this.ensureActive(control);
      await this.processOne(item, control);
    }
  }

  private async processOne(item: Decoded, control: BatchControl): Promise<void> {
    const { message, event } = item;
    for (let attempt = 1; ; attempt++) {
      const error = await this.waitingOutInfrastructure(
        () =>
          this.timed([item], () =>
            withHandlingSpans(this.handler.consumerName, [item], () => this.handler.handle([event])),
          ),
        control,
      );
      if (error === null) return;
      const permanent = error instanceof PermanentEventError;
      if (permanent || attempt >= this.retry.maxAttempts) {
        const reason = `${permanent ? 'permanent' : `failed ${attempt} times`}: ${errorMessage(error)}`;
        this.logger.error(
          { consumer: this.handler.consumerName, eventId: event.eventId, type: event.type, err: error },
          'event dead-lettered',
        );
        await this.publishDeadLetters([{ message, reason, attempts: attempt }], control);
        this.options.metrics?.deadLettered(permanent ? 'permanent' : 'exhausted', 1);
        return;
      }
      this.options.metrics?.retried(1);
      await this.wait(backoffDelay(this.retry, attempt));
      await control.heartbeat();
    }
  }

  /** One `handle` call, timed and counted when it succeeds. */
  private async timed(items: Decoded[], handle: () => Promise<void>): Promise<void> {
    const started = performance.now();
    await handle();
    this.options.metrics?.applied(
      items.map((d) => d.message),
      (performance.now() - started) / 1000,
    );
  }

  /** Dead letters go out whatever it takes: the broker being away is waited out like the database. */
  private async publishDeadLetters(letters: DeadLetter[], control: BatchControl): Promise<void> {
    const error = await this.waitingOutInfrastructure(() => this.deadLetters.publish(letters), control);
    if (error !== null) throw error;
  }

  /**
   * Runs `attempt` until it succeeds (null) or fails for a reason that is not the
   * infrastructure's (that error). Infrastructure failures are retried with capped backoff,
   * heartbeating, for as long as they last; meanwhile the status says the consumer is stalled.
   */
  private async waitingOutInfrastructure(attempt: () => Promise<void>, control: BatchControl): Promise<unknown> {
    for (let retry = 1; ; retry++) {
      try {
        await attempt();
        this.options.status?.flowing();
        return null;
      } catch (error) {
        if (error instanceof PermanentEventError) return error;
        if (classifyFailure(error, this.options.failureKinds) !== 'infrastructure') return error;
        const reason = errorMessage(error);
        if (retry === 1 || retry % 10 === 0) {
          this.logger.warn(
            { consumer: this.handler.consumerName, err: error, retry },
            'infrastructure failure; waiting it out, the partition waits',
          );
        }
        this.options.status?.stalled(reason);
        this.options.metrics?.infrastructureWait();
        await this.wait(backoffDelay(this.retry, Math.min(retry, 30)));
        this.ensureActive(control);
        try {
          await control.heartbeat();
        } catch (heartbeatError) {
          // The group moved on (a rebalance) or the broker is away: give the batch back.
          throw new ConsumerStoppedError(`consumer stopped while waiting: ${errorMessage(heartbeatError)}`);
        }
      }
    }
  }

  private ensureActive(control: BatchControl): void {
    if (!control.isActive()) {
      throw new ConsumerStoppedError('consumer stopped while retrying; the batch will be redelivered');
    }
  }
}
