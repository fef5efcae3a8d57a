import { decodeParsedEvent, EventType, parseEnvelopeJson, TypedEvent } from '@valley/contracts';
import { LogSink } from '../logging';
import { BatchControl, IncomingMessage } from '../transport/message-transport';
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

/**
 * Turns one Kafka batch into handler calls with bounded retries and dead letters.
 *
 * - Messages are taken in chunks; each chunk is handed over in one `handle` call (one
 *   transaction in the service), so catching up after downtime costs one commit per chunk.
 * - If a chunk fails, its events are retried one at a time with exponential backoff, so a
 *   single poison event cannot take its neighbours to the dead-letter topic.
 * - Malformed events, permanent errors and events still failing after the last attempt go
 *   to the dead-letter topic with the reason; the consumer moves on. Offsets are marked only
 *   after an event was applied or dead-lettered: nothing is acknowledged that was not handled.
 */
export class EventBatchProcessor {
  private readonly handled: ReadonlySet<EventType>;

  constructor(
    private readonly handler: EventHandler,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly retry: RetryPolicy,
    private readonly logger: LogSink,
    private readonly options: { chunkSize: number; wait?: (ms: number) => Promise<void> } = { chunkSize: 500 },
  ) {
    this.handled = new Set(handler.handles);
  }

  async process(messages: IncomingMessage[], control: BatchControl): Promise<void> {
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
      await this.deadLetters.publish(rejected);
    }
    if (accepted.length === 0) return;
    if (accepted.length === 1) return this.processOne(accepted[0], control);

    try {
      await this.handler.handle(accepted.map((d) => d.event));
    } catch (error) {
      this.logger.warn(
        { consumer: this.handler.consumerName, err: error, count: accepted.length },
        'batch failed; retrying its events one at a time',
      );
      for (const item of accepted) {
        if (!control.isActive()) throw new Error('consumer stopped while retrying; the batch will be redelivered');
        await this.processOne(item, control);
      }
    }
  }

  private async processOne({ message, event }: Decoded, control: BatchControl): Promise<void> {
    const wait = this.options.wait ?? sleep;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler.handle([event]);
        return;
      } catch (error) {
        const permanent = error instanceof PermanentEventError;
        if (permanent || attempt >= this.retry.maxAttempts) {
          const reason = `${permanent ? 'permanent' : `failed ${attempt} times`}: ${errorMessage(error)}`;
          this.logger.error(
            { consumer: this.handler.consumerName, eventId: event.eventId, type: event.type, err: error },
            'event dead-lettered',
          );
          await this.deadLetters.publish([{ message, reason, attempts: attempt }]);
          return;
        }
        await wait(backoffDelay(this.retry, attempt));
        await control.heartbeat();
      }
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
