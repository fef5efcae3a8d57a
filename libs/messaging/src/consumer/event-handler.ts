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
  handle(events: TypedEvent[]): Promise<void>;
}
