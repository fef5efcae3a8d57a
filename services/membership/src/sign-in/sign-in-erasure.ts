import { EntityManager } from 'typeorm';
import { MemberSession } from './member-session.entity';
import { SignInLink } from './sign-in-link.entity';

/** An erased member's sign-in links (they name its address) and sessions go, in the caller's transaction. */
export async function forgetSignIns(manager: EntityManager, memberId: string): Promise<void> {
  await manager.getRepository(SignInLink).delete({ memberId });
  await manager.getRepository(MemberSession).delete({ memberId });
}
