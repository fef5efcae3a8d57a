import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const WebhookEventTypes = ['member.joined', 'member.changed', 'member.left'] as const;
export type WebhookEventType = (typeof WebhookEventTypes)[number];

/**
 * A change partners may hear of, with only what the directory shows anonymously: kept so that a
 * subscription can be replayed everything since a date. The id is the lifecycle event's.
 */
@Entity({ name: 'webhook_events' })
@Index('IDX_webhook_events_occurred_at', ['occurredAt'])
export class WebhookEvent {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  type!: WebhookEventType;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  /** The body's `data`: the public profile (joined, changed) or the member's id (left). */
  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
