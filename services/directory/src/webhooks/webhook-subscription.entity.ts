import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SubscriptionStatuses = ['active', 'paused'] as const;
export type SubscriptionStatus = (typeof SubscriptionStatuses)[number];

/** A partner's endpoint and what it wants to hear of; paused ones get nothing until resumed. */
@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscription {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes!: string[];

  /** The signing secret as given (`whsec_` + base64); kept to sign, never shown again. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text' })
  status!: SubscriptionStatus;

  /** Deliveries failed for good since the last one that went through. */
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ name: 'paused_reason', type: 'text', nullable: true })
  pausedReason!: string | null;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
