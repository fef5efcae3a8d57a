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
import type { FieldVisibility, MembershipType } from '@valley/contracts';
import { OrganisationProfile } from '../common/organisation-profile';

export const MemberStatuses = ['active', 'suspended', 'ended'] as const;
export type MemberStatus = (typeof MemberStatuses)[number];

@Entity({ name: 'members' })
@Unique('UQ_members_country_registration_code', ['country', 'registrationCode'])
@Index('IDX_members_status_legal_name', ['status', 'legalName'])
export class Member extends OrganisationProfile {
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

  /** The member's public statement, shown in the directory. */
  @Column({ type: 'text', nullable: true })
  statement!: string | null;

  @Column({ name: 'logo_url', type: 'text', nullable: true })
  logoUrl!: string | null;

  /** Who sees each directory field (absent fields, or null: the defaults, see effectiveVisibility). */
  @Column({ type: 'jsonb', nullable: true })
  visibility!: FieldVisibility | null;

  /** Why the member is suspended or ended (null while active). */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn!: string | null;

  /** When its personal data was erased (erasure/): its contact is null from then on. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
