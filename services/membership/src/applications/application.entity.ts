import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { OrganisationProfile } from '../common/organisation-profile';

export const ApplicationStatuses = ['submitted', 'under_review', 'admitted', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof ApplicationStatuses)[number];

@Entity({ name: 'applications' })
@Index('IDX_applications_status_submitted', ['status', 'submittedAt'])
/** One open application per organisation: enforced here, so two racing submissions cannot both pass. */
@Index('UQ_applications_open_registration', ['country', 'registrationCode'], {
  unique: true,
  where: `"status" IN ('submitted', 'under_review')`,
})
export class Application extends OrganisationProfile {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The organisation's id for its whole life in the cluster: it becomes the member id. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'text' })
  status!: ApplicationStatus;

  @Column({ type: 'text', nullable: true })
  motivation!: string | null;

  /** SHA-256 of the applicant token; the token itself is shown once, at submission. */
  @Column({ name: 'applicant_token_hash', type: 'text' })
  applicantTokenHash!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** Why: the rejection reason, the withdrawal reason or the admission note. */
  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason!: string | null;

  /** JWT subject of the coordinator who decided. */
  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

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
