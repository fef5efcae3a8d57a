import { TypedEvent } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { InboxMessage } from './inbox-message.entity';

/** The inbox claim of a batch, as SQL for a statement to run (see inboxClaim). */
export interface InboxClaim<T extends TypedEvent> {
  /** An INSERT … RETURNING event_id: a statement of its own, or a CTE of another. */
  sql: string;
  /** Its parameters, numbered from the `first` given to inboxClaim. */
  params: unknown[];
  /** The events to apply, in batch order, given the event ids the claim returned. */
  fresh(claimedIds: Iterable<string>): T[];
}

/**
 * The idempotent-consumer guard as SQL: records the events `consumer` has not seen yet and yields
 * their ids. As a CTE of the statement that reads what the batch needs, the claim costs no round
 * trip of its own. Run it inside the transaction that applies the events (see claimUnprocessed).
 */
export function inboxClaim<T extends TypedEvent>(
  manager: EntityManager,
  consumer: string,
  events: T[],
  first = 1,
): InboxClaim<T> {
  const table = manager.getRepository(InboxMessage).metadata.tablePath;
  return {
    sql: `INSERT INTO ${table} (consumer, event_id, event_type)
     SELECT $${first}, e.id, e.type FROM unnest($${first + 1}::uuid[], $${first + 2}::text[]) AS e(id, type)
     ON CONFLICT DO NOTHING
     RETURNING event_id`,
    params: [consumer, events.map((e) => e.eventId), events.map((e) => e.type)],
    fresh: (claimedIds) => {
      const claimed = new Set(claimedIds);
      // The same event twice in one batch: only its first occurrence is applied.
      return events.filter((e) => claimed.delete(e.eventId));
    },
  };
}

/**
 * The idempotent-consumer guard. Call it inside the transaction that applies the events:
 * it records the events this consumer has not seen yet and returns just those, in order.
 * A redelivered event hits the primary key and is left out, so its effect happens once;
 * if the transaction rolls back, the inbox rows roll back with the effect.
 */
export async function claimUnprocessed<T extends TypedEvent>(
  manager: EntityManager,
  consumer: string,
  events: T[],
): Promise<T[]> {
  if (events.length === 0) return [];
  const claim = inboxClaim(manager, consumer, events);
  const rows: { event_id: string }[] = await manager.query(claim.sql, claim.params);
  return claim.fresh(rows.map((r) => r.event_id));
}
