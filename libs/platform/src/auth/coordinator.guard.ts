import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { bearerToken, COORDINATOR_ROLE, Principal, TokenVerifier } from './token-verifier';

export { COORDINATOR_ROLE } from './token-verifier';

export interface Actor {
  /** The JWT subject: who did it, recorded in histories. */
  subject: string;
  roles: string[];
}

export interface RequestWithActor {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
  /** Who the verified token speaks for (set with `actor`). */
  principal?: Principal;
}

/**
 * Accepts `Authorization: Bearer <JWT>`, verified by the TokenVerifier (algorithms, keys, exp,
 * lifetime, issuer, audience), whose `roles` claim contains `coordinator`: 401 without a valid
 * token, 403 with one that lacks the role (a member's token among them).
 */
@Injectable()
export class CoordinatorGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const principal = await this.verifier.verify(bearerToken(request.headers.authorization));
    if (!principal.coordinator) throw new ForbiddenException(`the ${COORDINATOR_ROLE} role is required`);
    request.actor = { subject: principal.subject, roles: principal.roles };
    request.principal = principal;
    return true;
  }
}
