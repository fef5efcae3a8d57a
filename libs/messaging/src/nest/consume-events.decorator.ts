import { EventPattern } from '@nestjs/microservices';
import { EventType, Topic } from '@valley/contracts';

/** What one consumer group reads and acts on; the extras of its @EventPattern. */
export interface EventBatchSpec {
  /** Consumer group name, stable forever: renaming it replays the whole history. */
  consumer: string;
  topics: readonly Topic[];
  /** Event types acted on; any other event on these topics is acknowledged and skipped. */
  handles: readonly EventType[];
  /**
   * Partitions whose batches are applied at once (1 unless said). Only for a handler whose batches
   * of different partitions touch different rows (keyed by member, say): a partition's batches
   * still come one after the other, in order. kafkajs hands over the batches of one fetch side by
   * side and fetches again when all are done: the partitions of a fetch no longer queue behind each other.
   */
  partitionsConcurrently?: number;
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
