import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Delivery } from './delivery.entity';

/**
 * The one-time token of a member's sign-in link, from the short-lived access topic, kept next to
 * (never in) its delivery: the sender reads it to render the email and it is deleted with the
 * delivery's outcome (sent, or failed for good, or expired before it could go). The delivery log,
 * the deliveries API and the outcome events never see it.
 */
@Entity({ name: 'sign_in_links' })
export class SignInLink {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @OneToOne(() => Delivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'FK_notifications_sign_in_links_delivery' })
  delivery?: Delivery;

  @Column({ name: 'sign_in_token', type: 'text' })
  signInToken!: string;

  /** When the link stops working (membership's 15 minutes): an email found later is not sent. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
