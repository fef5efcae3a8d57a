import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import { Request, Response } from 'express';
import { PortalCookies } from './cookies';

/** The hidden field every POST form carries. */
export const CSRF_FIELD = '_csrf';

/**
 * CSRF protection of every form post: csrf-csrf's signed double-submit token. The token is an
 * HMAC (PORTAL_COOKIE_SECRET) of a random value and the visitor's id cookie, kept in an HttpOnly,
 * SameSite=Strict cookie and repeated in the form; a post whose field does not match its cookie,
 * or whose HMAC is not ours, is refused with 403 before the handler runs.
 */
export class PortalCsrf {
  private readonly utilities: DoubleCsrfUtilities;

  constructor(secret: string, cookies: PortalCookies) {
    this.utilities = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => req.cookies?.[cookies.visitor] ?? '',
      cookieName: cookies.csrf,
      cookieOptions: { httpOnly: true, sameSite: 'strict', secure: cookies.secure, path: '/' },
      getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] as string,
    });
  }

  /** One token per response (the header's sign-out form and the page's share it, and its cookie). */
  private readonly issued = new WeakMap<Request, string>();

  /** The token for this response's forms (the cookie's, when it is still valid for this visitor). */
  token(req: Request, res: Response): string {
    let token = this.issued.get(req);
    if (token === undefined) {
      token = this.utilities.generateCsrfToken(req, res);
      this.issued.set(req, token);
    }
    return token;
  }

  valid(req: Request): boolean {
    return this.utilities.validateRequest(req);
  }
}

/** Refused form posts: the exception filter shows a page that says the form expired and to try again. */
export class CsrfRefused extends ForbiddenException {
  constructor() {
    super('invalid CSRF token');
  }
}

/** Global: every method but GET and HEAD needs a valid token. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: PortalCsrf) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    if (!this.csrf.valid(req)) throw new CsrfRefused();
    return true;
  }
}
