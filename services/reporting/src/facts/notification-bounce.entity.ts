import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One bounce (NotificationBounced): a delivery counts once, a bounce report naming no delivery once per event. */
@Entity({ name: 'notification_bounces' })
@Index('IDX_notification_bounces_occurred_at', ['occurredAt'])
@Index('UQ_notification_bounces_delivery_id', ['deliveryId'], { unique: true, where: '"delivery_id" IS NOT NULL' })
export class NotificationBounce {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** Its template and language are the delivery's, in notification_outcomes. */
  @Column({ name: 'delivery_id', type: 'uuid', nullable: true })
  deliveryId!: string | null;

  /** `smtp` or `dsn`. */
  @Column({ name: 'source', type: 'text' })
  source!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
