import { BounceSource } from '@valley/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An address that bounced for good: no mail goes to it until the contact that had it changes
 * its email (the row is then deleted), or a coordinator clears it.
 */
@Entity({ name: 'bouncing_addresses' })
export class BouncingAddress {
  /** Lower-cased. */
  @PrimaryColumn({ type: 'text' })
  address!: string;

  @Column({ type: 'text' })
  source!: BounceSource;

  /** The enhanced status code (RFC 3463), e.g. 5.1.1, when the answer had one. */
  @Column({ name: 'status_code', type: 'text', nullable: true })
  statusCode!: string | null;

  /** What the mail system said, as it said it (kept here only: it may quote the address). */
  @Column({ type: 'text' })
  reason!: string;

  /** The delivery that bounced, when known (a refusal at RCPT always; a DSN when it names our Message-ID). */
  @Column({ name: 'delivery_id', type: 'uuid', nullable: true })
  deliveryId!: string | null;

  @Column({ name: 'bounced_at', type: 'timestamptz' })
  bouncedAt!: Date;
}
