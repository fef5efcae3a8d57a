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
    const events = manager.getRepository(WebhookEvent).metadata.tablePath;
    await manager.query(
      `INSERT INTO ${events} (event_id, type, member_id, data, occurred_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[], $5::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        changes.map((c) => c.eventId),
        changes.map((c) => c.type),
        changes.map((c) => c.memberId),
        changes.map((c) => JSON.stringify(c.data)),
        changes.map((c) => c.occurredAt),
      ],
    );
    await enqueueFor(manager, { eventIds: changes.map((c) => c.eventId) });
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

/**
 * A pending delivery per (active subscription, event) where the subscription asked for the
 * event's type: of the given events, or of a subscription's events since a moment (a replay, which
 * also sends again the ones delivered or failed before). Returns how many are now pending.
 */
export async function enqueueFor(
  manager: EntityManager,
  which: { eventIds: string[] } | { subscriptionId: string; since: Date },
): Promise<number> {
  const deliveries = manager.getRepository(WebhookDelivery).metadata.tablePath;
  const events = manager.getRepository(WebhookEvent).metadata.tablePath;
  const subscriptions = manager.getRepository(WebhookSubscription).metadata.tablePath;
  const [where, params] =
    'eventIds' in which
      ? [`e.event_id = ANY($1::uuid[])`, [which.eventIds]]
      : [`s.id = $1 AND e.occurred_at >= $2`, [which.subscriptionId, which.since]];
  const rows: unknown[] = await manager.query(
    `INSERT INTO ${deliveries} AS d (id, subscription_id, event_id, status, attempts, next_attempt_at, created_at)
     SELECT gen_random_uuid(), s.id, e.event_id, 'pending', 0, now(), now()
     FROM ${events} e JOIN ${subscriptions} s ON s.status = 'active' AND e.type = ANY(s.event_types)
     WHERE ${where}
     ORDER BY e.occurred_at
     ON CONFLICT (subscription_id, event_id) DO ${'eventIds' in which ? 'NOTHING' : `UPDATE SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, last_status_code = NULL, delivered_at = NULL`}
     RETURNING d.id`,
    params,
  );
  return rows.length;
}
