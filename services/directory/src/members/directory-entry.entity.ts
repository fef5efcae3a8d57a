import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The directory's own copy of a member, built only from membership events. Every row
 * is kept (an unlisted member may become listed later); `listed` says whether the public sees it.
 */
@Entity({ name: 'directory_entries' })
@Index('IDX_directory_entries_listed_name', ['listed', 'sortName', 'memberId'])
export class DirectoryEntry {
  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  /** Active and consenting to public listing. */
  @Column({ type: 'boolean' })
  listed!: boolean;

  @Column({ name: 'legal_name', type: 'text' })
  legalName!: string;

  /** Lower-cased name, the key of the default order and of the cursor. */
  @Column({ name: 'sort_name', type: 'text' })
  sortName!: string;

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

  @Column({ name: 'membership_type', type: 'text' })
  membershipType!: string;

  @Column({ name: 'member_since', type: 'date' })
  memberSince!: string;

  /** When the newest event applied to this row happened; older events change nothing. */
  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt!: Date;
}
