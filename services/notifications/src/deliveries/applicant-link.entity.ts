import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The applicant token of an application, from the short-lived access topic, kept until the
 * acknowledgement email with its status link has gone out (then deleted).
 */
@Entity({ name: 'applicant_links' })
export class ApplicantLink {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @Column({ name: 'applicant_token', type: 'text' })
  applicantToken!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
