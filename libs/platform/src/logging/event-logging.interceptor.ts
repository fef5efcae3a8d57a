import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { TypedEvent } from '@valley/contracts';
import { EventBatchContext } from '@valley/messaging';
import { storage, Store } from 'nestjs-pino/storage';
import { Logger } from 'pino';
import { Observable } from 'rxjs';

/** Ids of at most this many events of a batch go into its log lines (a retried event is alone). */
const LOGGED_IDS = 20;

/** What every log line written while handling these events says about them. */
export function eventLogBindings(consumer: string, events: TypedEvent[]): Record<string, unknown> {
  if (events.length === 1) {
    const [event] = events;
    return {
      consumer,
      eventId: event.eventId,
      type: event.type,
      correlationId: event.correlationId,
      causationId: event.causationId,
    };
  }
  return {
    consumer,
    events: events.length,
    eventIds: events.slice(0, LOGGED_IDS).map((e) => e.eventId),
    types: [...new Set(events.map((e) => e.type))],
  };
}

/**
 * Puts the event being handled (its id, type, correlation and causation; for a batch, its size
 * and ids) into every log line written while an @ConsumeEvents handler runs, through the same
 * context nestjs-pino uses for a request: whatever logs through PinoLogger carries them.
 */
@Injectable()
export class EventLoggingInterceptor implements NestInterceptor {
  constructor(private readonly logger: Logger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const batch = context.switchToRpc().getContext<unknown>();
    if (context.getType() !== 'rpc' || !(batch instanceof EventBatchContext)) return next.handle();
    const logger = this.logger.child(eventLogBindings(batch.consumer, batch.events));
    return new Observable((subscriber) => storage.run(new Store(logger), () => next.handle().subscribe(subscriber)));
  }
}
