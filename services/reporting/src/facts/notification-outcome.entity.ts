import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The final outcome of one email delivery (counted once, however often it is announced). */
@Entity({ name: 'notification_outcomes' })
export class NotificationOutcome {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  /** `sent` or `failed`. */
  @Column({ name: 'outcome', type: 'text' })
  outcome!: string;

  @Column({ name: 'template', type: 'text' })
  template!: string;

  @Column({ name: 'language', type: 'text' })
  language!: string;

  @Column({ name: 'recipient_kind', type: 'text' })
  recipientKind!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
