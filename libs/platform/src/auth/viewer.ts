import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiExtension, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { bearerToken, Principal, TokenVerifier } from './token-verifier';

/**
 * Who calls a public endpoint that answers more to signed-in callers: nobody known
 * (`anonymous`: no token, or a valid token with neither role), a member (a valid token with the
 * `member` role and a `memberId`), or a coordinator (the `coordinator` role; a coordinator who is
 * also a member is a coordinator).
 */
export type ViewerLevel = 'anonymous' | 'member' | 'coordinator';

export interface Viewer {
  level: ViewerLevel;
  /** Who the verified token speaks for; absent without a token. */
  principal?: Principal;
}

export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ level: 'anonymous' as const });

/** The level a verified token grants. */
export function viewerLevelOf(principal: Principal): ViewerLevel {
  if (principal.coordinator) return 'coordinator';
  if (principal.memberId) return 'member';
  return 'anonymous';
}

/**
 * The caller behind an `Authorization` header: no header, anonymous; a header, the token it
 * carries, verified (TokenVerifier.verify): a header that is not `Bearer <token>`, or a token that
 * does not verify, is the verifier's 401 (503 when the issuer's keys cannot be fetched), never
 * silently anonymous.
 */
export async function resolveViewer(
  verifier: TokenVerifier,
  authorization: string | string[] | undefined,
): Promise<Viewer> {
  if (authorization === undefined) return ANONYMOUS_VIEWER;
  const principal = await verifier.verify(bearerToken(authorization));
  return { level: viewerLevelOf(principal), principal };
}

export interface RequestWithViewer {
  headers: Record<string, string | string[] | undefined>;
  viewer?: Viewer;
}

/** Records the caller of a @Viewing() endpoint (`request.viewer`); refuses only a bad token. */
@Injectable()
export class ViewerGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithViewer>();
    request.viewer = await resolveViewer(this.verifier, request.headers.authorization);
    return true;
  }
}

/** The security scheme an optional bearer refers to (the one @Coordinator() endpoints document). */
export const OPTIONAL_BEARER_EXTENSION = 'x-optional-security';

/**
 * Marks a public endpoint that knows its caller: without `Authorization` it answers anonymously;
 * with `Authorization: Bearer <JWT>` the token must verify (401 otherwise) and its roles decide
 * what the caller sees (CurrentViewer); the endpoint's description says what each level sees.
 *
 * The bearer is documented as optional in the operation's description and as
 * `x-optional-security: [{ bearer: [] }]`, not in `security`: a `security` requirement is what
 * clients and this project's tests read as "a token is required".
 */
export function Viewing(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(ViewerGuard),
    ApiExtension(OPTIONAL_BEARER_EXTENSION, [{ bearer: [] }]),
    ApiUnauthorizedResponse({
      description: 'An `Authorization` header that is not a valid bearer token (without one the answer is anonymous).',
    }),
  );
}

/** The caller of a @Viewing() endpoint. */
export const CurrentViewer = createParamDecorator((_: unknown, context: ExecutionContext): Viewer => {
  const viewer = context.switchToHttp().getRequest<RequestWithViewer>().viewer;
  if (!viewer) throw new Error('CurrentViewer used on an endpoint without @Viewing()');
  return viewer;
});
