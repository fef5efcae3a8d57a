import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A stretch of time in which a member's status and every reported dimension stayed the same:
 * [validFrom, validTo), open-ended while it lasts. A change of status or of a dimension closes
 * the stretch and opens the next; the end of a membership closes it. Composition on any date.
 */
@Entity({ name: 'member_intervals' })
@Index('IDX_member_intervals_valid_from', ['validFrom'])
@Index('IDX_member_intervals_valid_to', ['validTo'])
export class MemberInterval {
  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  /** Counts up per member, across its memberships. */
  @PrimaryColumn({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom!: Date;

  @Column({ name: 'valid_to', type: 'timestamptz', nullable: true })
  validTo!: Date | null;

  /** `active` or `suspended`. */
  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'country', type: 'text' })
  country!: string;

  @Column({ name: 'region', type: 'text' })
  region!: string;

  @Column({ name: 'organisation_type', type: 'text' })
  organisationType!: string;

  @Column({ name: 'size_class', type: 'text' })
  sizeClass!: string;

  @Column({ name: 'sector_codes', type: 'text', array: true })
  sectorCodes!: string[];

  @Column({ name: 'focus_areas', type: 'text', array: true })
  focusAreas!: string[];
}
