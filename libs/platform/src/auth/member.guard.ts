import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { bearerToken, MEMBER_ROLE, Principal, TokenVerifier } from './token-verifier';

/** Who a member token speaks for: the person (subject) and their organisation (memberId). */
export type MemberPrincipal = Principal & { memberId: string };

interface RequestWithMember {
  headers: Record<string, string | string[] | undefined>;
  member?: MemberPrincipal;
}

/**
 * Accepts a verified bearer token with the `member` role and a `memberId`: 401 without a valid
 * token, 403 with one that speaks for no member (a coordinator's among them: /me is a member's).
 */
@Injectable()
export class MemberGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithMember>();
    const principal = await this.verifier.verify(bearerToken(request.headers.authorization));
    if (!principal.memberId) throw new ForbiddenException(`a ${MEMBER_ROLE} token (with a memberId) is required`);
    request.member = principal as MemberPrincipal;
    return true;
  }
}

/** Marks an endpoint as a signed-in member's own: 401 without a valid token, 403 without a member. */
export function SignedInMember(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(MemberGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid bearer token.' }),
    ApiForbiddenResponse({ description: 'The token is not a member’s (the `member` role with a `memberId`).' }),
  );
}

/** The member of a @SignedInMember() endpoint. */
export const CurrentMember = createParamDecorator((_: unknown, context: ExecutionContext): MemberPrincipal => {
  const member = context.switchToHttp().getRequest<RequestWithMember>().member;
  if (!member) throw new Error('CurrentMember used on an endpoint without @SignedInMember()');
  return member;
});
