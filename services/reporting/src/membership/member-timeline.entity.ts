import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** When each member joined (and, later, left): enough to count members on any past date. */
@Entity({ name: 'member_timeline' })
@Index('IDX_member_timeline_admitted_on', ['admittedOn'])
export class MemberTimeline {
  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'membership_type', type: 'text' })
  membershipType!: string;

  @Column({ name: 'admitted_on', type: 'date' })
  admittedOn!: string;

  @Column({ name: 'left_on', type: 'date', nullable: true })
  leftOn!: string | null;
}
