import { EventType, TypedEvent } from '@valley/contracts';

/**
 * A service's side of a consumer: which events it acts on, and how it applies a batch.
 * `handle` must be all-or-nothing (one transaction) and idempotent per eventId
 * (see Inbox), because a batch may be delivered again after a crash or a rebalance.
 */
export interface EventHandler {
  /** Consumer group name, stable forever: renaming it replays the whole history. */
  readonly consumerName: string;
  readonly topics: readonly string[];
  /** Event types acted on; any other event on these topics is acknowledged and skipped. */
  readonly handles: readonly EventType[];
  /**
   * How many partitions' batches it may apply at once (1 unless said): more only where batches of
   * different partitions never touch the same rows (each partition's own stay in order).
   */
  readonly partitionsConcurrently?: number;
  handle(events: TypedEvent[]): Promise<void>;
}
