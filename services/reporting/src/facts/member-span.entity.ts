import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One membership of one organisation: from admission to its end (open while it lasts). Growth and counts. */
@Entity({ name: 'member_spans' })
@Index('IDX_member_spans_admitted_at', ['admittedAt'])
@Index('IDX_member_spans_ended_at', ['endedAt'])
export class MemberSpan {
  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  /** 1 for the first membership, 2 if the organisation is admitted again after leaving, ... */
  @PrimaryColumn({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'membership_type', type: 'text' })
  membershipType!: string;

  @Column({ name: 'admitted_at', type: 'timestamptz' })
  admittedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
