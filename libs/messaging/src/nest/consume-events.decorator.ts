import { EventPattern } from '@nestjs/microservices';
import { EventType, Topic } from '@valley/contracts';

/** What one consumer group reads and acts on; the extras of its @EventPattern. */
export interface EventBatchSpec {
  /** Consumer group name, stable forever: renaming it replays the whole history. */
  consumer: string;
  topics: readonly Topic[];
  /** Event types acted on; any other event on these topics is acknowledged and skipped. */
  handles: readonly EventType[];
}

export const EVENT_BATCH_EXTRAS = 'valleyEventBatch';

/**
 * Marks a controller method as a consumer group's handler, the NestJS way (an @EventPattern, so
 * pipes, guards, interceptors and filters apply): it is called with a batch of validated events
 * (`TypedEvent[]`, in partition order, types mixed) that it must apply all-or-nothing, in one
 * transaction, and idempotently per eventId (see claimUnprocessed), because a batch may be
 * delivered again after a crash or a rebalance. EventBatchServer runs it: one Kafka consumer group
 * per handler, with bounded retries, waiting out the infrastructure, and dead letters.
 */
export function ConsumeEvents(spec: EventBatchSpec): MethodDecorator {
  return EventPattern(spec.consumer, { [EVENT_BATCH_EXTRAS]: spec });
}
