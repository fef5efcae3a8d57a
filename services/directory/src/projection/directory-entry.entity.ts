import { FieldVisibility } from '@valley/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The directory's own copy of a member, built only from membership events. Every admitted member
 * keeps a row (an unlisted member may become listed later, and an ended one must stay ended when
 * an older event arrives late); `listed` says whether the public sees it.
 * Search does not read this table row by row: each instance keeps the listed members in its
 * in-memory MemberIndex, fed from here through `changed_xid`.
 */
@Entity({ name: 'directory_entries' })
@Index('IDX_directory_entries_changed_xid', ['changedXid'])
export class DirectoryEntry {
  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  /** Shown to the public: active and consenting to public listing. */
  @Column({ type: 'boolean' })
  listed!: boolean;

  /** active, suspended or ended. */
  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'listing_consent', type: 'boolean' })
  listingConsent!: boolean;

  /** The contact person may be shown (the contact columns are never shown otherwise). */
  @Column({ name: 'contact_consent', type: 'boolean' })
  contactConsent!: boolean;

  @Column({ name: 'legal_name', type: 'text' })
  legalName!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ name: 'organisation_type', type: 'text' })
  organisationType!: string;

  @Column({ name: 'size_class', type: 'text' })
  sizeClass!: string;

  @Column({ name: 'sector_codes', type: 'text', array: true })
  sectorCodes!: string[];

  @Column({ name: 'focus_areas', type: 'text', array: true })
  focusAreas!: string[];

  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', nullable: true })
  statement!: string | null;

  @Column({ name: 'logo_url', type: 'text', nullable: true })
  logoUrl!: string | null;

  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName!: string | null;

  @Column({ name: 'contact_email', type: 'text', nullable: true })
  contactEmail!: string | null;

  @Column({ name: 'contact_phone', type: 'text', nullable: true })
  contactPhone!: string | null;

  @Column({ name: 'membership_type', type: 'text' })
  membershipType!: string;

  @Column({ name: 'member_since', type: 'date' })
  memberSince!: string;

  /**
   * Who sees each field, as the member chose it (`{"description": "members", …}`); a field not
   * named keeps its default (contact details public only with `contact_consent`, the rest public).
   */
  @Column({ type: 'jsonb', default: {} })
  visibility!: FieldVisibility;

  /** When the newest event applied to this row happened; older events change nothing. */
  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt!: Date;

  /**
   * The transaction that last wrote this row (its full 64-bit id): search indexes read the rows
   * written since their last read by it.
   */
  @Column({ name: 'changed_xid', type: 'bigint' })
  changedXid!: string;
}
