import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DirectoryProjection, EntryTransition } from '../projection';
import { publicChangeOf } from './public-changes';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

/**
 * Turns the projection's changes into webhook events and a delivery for each active
 * subscription that asked for the type, in the batch's own transaction: an entry's change and
 * the news of it commit together, so none is lost and none announced that did not happen. The
 * event id is the lifecycle event's, so a redelivered event adds nothing.
 */
@Injectable()
export class WebhookFeed implements OnModuleInit {
  constructor(
    private readonly projection: DirectoryProjection,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  onModuleInit(): void {
    this.projection.onTransitions((manager, transitions) => this.record(manager, transitions));
    this.projection.onCommitted(async () => this.dispatcher.wake());
  }

  async record(manager: EntityManager, transitions: EntryTransition[]): Promise<void> {
    await this.forgetErased(manager, transitions);
    const changes = transitions.flatMap((t) => {
      const change = publicChangeOf(t);
      return change ? [{ ...change, eventId: t.event.eventId, occurredAt: t.event.occurredAt }] : [];
    });
    if (changes.length === 0) return;
    // One statement: the events and their deliveries (the CTE's rows are the statement's input, so
    // the deliveries do not depend on seeing the events just inserted).
    await manager.query(
      `WITH changes AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[], $5::timestamptz[])
           AS c(event_id, type, member_id, data, occurred_at)
       ), recorded AS (
         INSERT INTO ${tableOf(manager, WebhookEvent)} (event_id, type, member_id, data, occurred_at)
         SELECT * FROM changes ON CONFLICT DO NOTHING
       )
       ${deliveriesFrom(manager, 'changes', { resend: false })}`,
      [
        changes.map((c) => c.eventId),
        changes.map((c) => c.type),
        changes.map((c) => c.memberId),
        changes.map((c) => JSON.stringify(c.data)),
        changes.map((c) => c.occurredAt),
      ],
    );
  }

  /** An erased member's public changes keep what they were, without its contact, description and statement. */
  private async forgetErased(manager: EntityManager, transitions: EntryTransition[]): Promise<void> {
    const erased = transitions.filter((t) => t.event.type === 'PersonalDataErased').map((t) => t.after.memberId);
    if (erased.length === 0) return;
    await manager.query(
      `UPDATE ${manager.getRepository(WebhookEvent).metadata.tablePath}
       SET data = data - ARRAY['contact', 'contactName', 'contactEmail', 'contactPhone', 'description', 'statement']
       WHERE member_id = ANY($1::uuid[])`,
      [erased],
    );
  }
}

const tableOf = (
  manager: EntityManager,
  entity: typeof WebhookEvent | typeof WebhookDelivery | typeof WebhookSubscription,
): string => manager.getRepository(entity).metadata.tablePath;

/**
 * The statement that adds a pending delivery per (active subscription, event of `source`, a
 * relation with the webhook events' columns) where the subscription asked for the event's type:
 * of every subscription, or of the one whose id is the SQL parameter `subscription`. `resend`: a
 * delivery there already (delivered or failed) is pending again.
 */
function deliveriesFrom(
  manager: EntityManager,
  source: string,
  options: { subscription?: string; resend: boolean },
): string {
  const which = options.subscription ? `s.id = ${options.subscription} AND ` : '';
  const onConflict = options.resend
    ? `UPDATE SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, last_status_code = NULL, delivered_at = NULL`
    : 'NOTHING';
  return `INSERT INTO ${tableOf(manager, WebhookDelivery)} AS d (id, subscription_id, event_id, status, attempts, next_attempt_at, created_at)
     SELECT gen_random_uuid(), s.id, e.event_id, 'pending', 0, now(), now()
     FROM ${source} e JOIN ${tableOf(manager, WebhookSubscription)} s
       ON ${which}s.status = 'active' AND e.type = ANY(s.event_types)
     ORDER BY e.occurred_at
     ON CONFLICT (subscription_id, event_id) DO ${onConflict}
     RETURNING d.id`;
}

/**
 * A replay: a pending delivery of each of a subscription's events since a moment, sent again where
 * it was delivered or failed before. Returns how many are now pending.
 */
export async function enqueueReplay(manager: EntityManager, subscriptionId: string, since: Date): Promise<number> {
  const rows: unknown[] = await manager.query(
    `WITH replayed AS (SELECT * FROM ${tableOf(manager, WebhookEvent)} WHERE occurred_at >= $2)
     ${deliveriesFrom(manager, 'replayed', { subscription: '$1', resend: true })}`,
    [subscriptionId, since],
  );
  return rows.length;
}
