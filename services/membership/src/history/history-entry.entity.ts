import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const HistorySubjects = ['application', 'member'] as const;
export type HistorySubject = (typeof HistorySubjects)[number];

/** Who decided what, when and why: one row per step of an application or a membership. */
@Entity({ name: 'history' })
@Index('IDX_history_subject', ['subjectId', 'id'])
export class HistoryEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  subject!: HistorySubject;

  /** The application's or the member's id. */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  /** submitted, review_started, admitted, rejected, withdrawn, profile_updated, suspended, reinstated, ended, imported. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text', nullable: true })
  toStatus!: string | null;

  /** The JWT subject of the coordinator; `applicant` for the applicant's own steps; `system` for seeds. */
  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
