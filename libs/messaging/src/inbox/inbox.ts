import { TypedEvent } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { InboxMessage } from './inbox-message.entity';

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
  const table = manager.getRepository(InboxMessage).metadata.tablePath;
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO ${table} (consumer, event_id, event_type)
     SELECT $1, e.id, e.type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
     ON CONFLICT DO NOTHING
     RETURNING event_id`,
    [consumer, events.map((e) => e.eventId), events.map((e) => e.type)],
  );
  const claimed = new Set(rows.map((r) => r.event_id));
  // The same event twice in one batch: only its first occurrence is applied.
  return events.filter((e) => claimed.delete(e.eventId));
}
