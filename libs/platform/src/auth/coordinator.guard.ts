import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

export const COORDINATOR_ROLE = 'coordinator';

export interface Actor {
  /** The JWT subject: who did it, recorded in histories. */
  subject: string;
  roles: string[];
}

export interface RequestWithActor {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

/** Accepts `Authorization: Bearer <JWT>` (HS256) whose `roles` claim contains `coordinator`. */
@Injectable()
export class CoordinatorGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('Authorization: Bearer <token> is required');

    let claims: { sub?: unknown; roles?: unknown };
    try {
      claims = await this.jwt.verifyAsync(match[1], { algorithms: ['HS256'] });
    } catch (error) {
      throw new UnauthorizedException(`invalid token: ${(error as Error).message}`);
    }
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new UnauthorizedException('token has no subject');
    if (!roles.includes(COORDINATOR_ROLE)) throw new ForbiddenException('the coordinator role is required');
    request.actor = { subject: claims.sub, roles };
    return true;
  }
}
