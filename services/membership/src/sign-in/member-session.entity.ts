import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { Member } from '../members';

/**
 * A member's signed-in session: short access tokens are renewed with its refresh token (kept as a
 * SHA-256 hash, replaced at every renewal) until it expires or the member signs out.
 */
@Entity({ name: 'member_sessions' })
@Unique('UQ_member_sessions_refresh_token_hash', ['refreshTokenHash'])
@Index('IDX_member_sessions_member', ['memberId'])
export class MemberSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => Member, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'FK_member_sessions_member' })
  member?: Member;

  /** Who signed in: the contact email the link was sent to. */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'refresh_token_hash', type: 'text' })
  refreshTokenHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'refreshed_at', type: 'timestamptz' })
  refreshedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
