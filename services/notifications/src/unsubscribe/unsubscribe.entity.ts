import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A contact followed an unsubscribe link: no more announcements to this address. */
@Entity({ name: 'unsubscribes' })
export class Unsubscribe {
  /** Lower-cased address the signed link was made for. */
  @PrimaryColumn({ type: 'text' })
  email!: string;

  /** The organisation whose contact it was when it unsubscribed, if known. */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  @Column({ name: 'unsubscribed_at', type: 'timestamptz' })
  unsubscribedAt!: Date;
}
