import { decodeEvent, EventType, TypedEvent } from '@valley/contracts';
import { LogSink } from '../logging';
import { BatchControl, IncomingMessage } from '../transport/message-transport';
import { DeadLetter, DeadLetterPublisher } from './dead-letter';
import { EventHandler } from './event-handler';
import { backoffDelay, PermanentEventError, RetryPolicy } from './retry-policy';

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
    for (let start = 0; start < messages.length; start += this.options.chunkSize) {
      if (!control.isActive()) return;
      const chunk = messages.slice(start, start + this.options.chunkSize);
      await this.processChunk(chunk, control);
      control.markProcessed(chunk[chunk.length - 1]);
      await control.heartbeat();
    }
  }

  private async processChunk(chunk: IncomingMessage[], control: BatchControl): Promise<void> {
    const accepted: Decoded[] = [];
    const rejected: DeadLetter[] = [];
    for (const message of chunk) {
      const decoded = decodeEvent(message.value);
      if (decoded.ok) {
        if (this.handled.has(decoded.event.type)) accepted.push({ message, event: decoded.event });
      } else if ('reason' in decoded) {
        rejected.push({ message, reason: decoded.reason, attempts: 0 });
      }
    }
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
