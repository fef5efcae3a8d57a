import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ContactStatuses = ['applicant', 'rejected', 'active', 'suspended', 'ended'] as const;
export type ContactStatus = (typeof ContactStatuses)[number];

/**
 * Notifications' own view of an organisation's contact, built from the lifecycle events
 * (ApplicationSubmitted, MemberAdmitted, MemberProfileUpdated, suspension, end). Nothing is
 * asked of another service at run time.
 */
@Entity({ name: 'contacts' })
export class Contact {
  /** The organisation's id, from its application through its membership. */
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'legal_name', type: 'text' })
  legalName!: string;

  @Column({ name: 'contact_name', type: 'text' })
  contactName!: string;

  /** Lower-cased. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  language!: string;

  /** The contact consented to the cluster's announcements. */
  @Column({ type: 'boolean' })
  announcements!: boolean;

  @Column({ type: 'text' })
  status!: ContactStatus;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
