import { EntityManager } from 'typeorm';
import { MemberSession } from './member-session.entity';

/** A member's sign-in sessions as its data export shows them: who, when; never the refresh token's hash. */
export async function sessionsOf(manager: EntityManager, memberId: string) {
  const sessions = await manager
    .getRepository(MemberSession)
    .find({ where: { memberId }, order: { createdAt: 'ASC' } });
  return sessions.map((s) => ({
    id: s.id,
    subject: s.subject,
    createdAt: s.createdAt.toISOString(),
    refreshedAt: s.refreshedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
  }));
}
