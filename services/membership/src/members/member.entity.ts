import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { FocusArea, MembershipType, OrganisationType, SizeClass } from '@valley/contracts';
import type { Consent, Contact } from '../applications/application.entity';

export const MemberStatuses = ['active', 'suspended', 'ended'] as const;
export type MemberStatus = (typeof MemberStatuses)[number];

@Entity({ name: 'members' })
@Unique('UQ_members_country_registration_code', ['country', 'registrationCode'])
@Index('IDX_members_status_legal_name', ['status', 'legalName'])
export class Member {
  /** The organisation's id: the id it had as an applicant. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The application it was admitted from; null for founding members. */
  @Column({ name: 'application_id', type: 'uuid', nullable: true })
  applicationId!: string | null;

  @Column({ name: 'membership_type', type: 'text' })
  membershipType!: MembershipType;

  @Column({ type: 'text' })
  status!: MemberStatus;

  /** The organisation that coordinates the cluster (a member like any other). */
  @Column({ name: 'is_coordinator', type: 'boolean', default: false })
  isCoordinator!: boolean;

  @Column({ name: 'admitted_on', type: 'date' })
  admittedOn!: string;

  @Column({ name: 'legal_name', type: 'text' })
  legalName!: string;

  @Column({ name: 'registration_code', type: 'text' })
  registrationCode!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ name: 'organisation_type', type: 'text' })
  organisationType!: OrganisationType;

  @Column({ name: 'size_class', type: 'text' })
  sizeClass!: SizeClass;

  @Column({ name: 'sector_codes', type: 'text', array: true })
  sectorCodes!: string[];

  @Column({ name: 'focus_areas', type: 'text', array: true })
  focusAreas!: FocusArea[];

  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** The member's public statement, shown in the directory. */
  @Column({ type: 'text', nullable: true })
  statement!: string | null;

  @Column({ name: 'logo_url', type: 'text', nullable: true })
  logoUrl!: string | null;

  /** Why the member is suspended or ended (null while active). */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn!: string | null;

  @Column({ type: 'jsonb' })
  contact!: Contact;

  @Column({ type: 'jsonb' })
  consent!: Consent;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
