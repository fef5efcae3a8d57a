import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Member } from '../members';

/**
 * A one-time sign-in link a member's contact asked for. Only the SHA-256 of its token is kept:
 * the token itself went to the email (through the short-lived access topic) and nowhere else.
 */
@Entity({ name: 'sign_in_links' })
@Index('IDX_sign_in_links_expires_at', ['expiresAt'])
export class SignInLink {
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => Member, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'FK_sign_in_links_member' })
  member?: Member;

  /** The address that asked (the member's contact email then): the session's subject. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when the link was exchanged: it works once. */
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
