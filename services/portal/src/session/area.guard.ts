import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  InternalServerErrorException,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { visitorOf } from '../http';
import { BearerApis } from '../upstream';
import { ServiceApis } from '../upstream';
import { PortalSession } from './portal-session';
import { PortalSessions } from './portal-sessions';
import { AreaRefused, SignInRequired } from './session-exceptions';
import { signInNext } from './sign-in-next';

/** The guarded areas: members' pages and the coordinators' console. */
export type Area = 'member' | 'coordinator';

const AREA = 'valley:portal-area';

/**
 * A member's page: anonymous visitors are sent to sign in (and back), others get a 403 page.
 * Routes under `/account` are member pages without it too (the guard goes by path as well).
 */
export const MemberOnly = (): MethodDecorator & ClassDecorator => SetMetadata(AREA, 'member');

/** A coordinator's page; routes under `/console` are coordinator pages without it too. */
export const CoordinatorOnly = (): MethodDecorator & ClassDecorator => SetMetadata(AREA, 'coordinator');

/** The area a path belongs to by its prefix, whatever its controller says: no console page can forget its guard. */
export function areaOfPath(path: string): Area | null {
  if (/^\/console(\/|$)/.test(path)) return 'coordinator';
  if (/^\/account(\/|$)/.test(path)) return 'member';
  return null;
}

/** The signed-in person of a guarded request: the session, and the services' APIs called with their token. */
export interface SignedInPerson {
  session: PortalSession;
  apis: BearerApis;
}

declare module 'express-serve-static-core' {
  interface Request {
    signedIn?: SignedInPerson;
  }
}

/**
 * `@SignedIn() person: SignedInPerson` in a handler of a guarded page (`@MemberOnly()`,
 * `@CoordinatorOnly()`, or under /account or /console): `person.session` (kind, memberId, email…)
 * and `person.apis.membership.request('/me')` with the person's bearer token.
 */
export const SignedIn = createParamDecorator((_data: unknown, context: ExecutionContext): SignedInPerson => {
  const req = context.switchToHttp().getRequest<Request>();
  if (!req.signedIn)
    throw new InternalServerErrorException('@SignedIn() on a route without @MemberOnly() or @CoordinatorOnly()');
  return req.signedIn;
});

/**
 * Global, after the CSRF guard: on a guarded page, the session (renewed when its access token is
 * about to expire) must be of the area's kind. None, or over: SignInRequired with the page to come
 * back to (a GET's own URL; after a form post, the form's `next` field or the area's start).
 */
@Injectable()
export class AreaGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: PortalSessions,
    private readonly apis: ServiceApis,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const area =
      this.reflector.getAllAndOverride<Area | undefined>(AREA, [context.getHandler(), context.getClass()]) ??
      areaOfPath(req.path);
    if (!area) return true;
    const hadSession = (await this.sessions.read(req)) !== null;
    const session = await this.sessions.current(req, res);
    if (!session) throw new SignInRequired(this.comeBackTo(req, area), hadSession);
    if (area === 'member' && session.kind !== 'member') throw new AreaRefused('membersOnly');
    if (area === 'coordinator') {
      if (session.kind !== 'coordinator') throw new AreaRefused('coordinatorsOnly');
      if (!session.coordinator) throw new AreaRefused('notCoordinator');
    }
    req.signedIn = { session, apis: this.apis.withBearer(session.accessToken, visitorOf(req)) };
    return true;
  }

  private comeBackTo(req: Request, area: Area): string {
    const start = area === 'member' ? '/account' : '/console';
    if (req.method === 'GET' || req.method === 'HEAD') return signInNext(req.originalUrl) ?? start;
    return signInNext((req.body as Record<string, unknown> | undefined)?.next) ?? start;
  }
}
