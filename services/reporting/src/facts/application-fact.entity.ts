import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One application: when it was submitted, and when and how it was decided. The funnel. */
@Entity({ name: 'application_facts' })
@Index('IDX_application_facts_submitted_at', ['submittedAt'])
export class ApplicationFact {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** `admitted`, `rejected` or `withdrawn`; null while open. */
  @Column({ name: 'outcome', type: 'text', nullable: true })
  outcome!: string | null;
}
