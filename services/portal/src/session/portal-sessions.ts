import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { Request, Response } from 'express';
import { PortalCookies } from '../http';
import { visitorOf } from '../http';
import { PortalConfig } from '../portal.config';
import { MemberSessionTokens, ServiceApis } from '../upstream';
import { CoordinatorOidc, CoordinatorTokens, OidcRefused, OidcTransaction } from './coordinator-oidc';
import { asPortalSession, nowSeconds, PortalSession } from './portal-session';
import { SessionSealer } from './session-sealer';

/** Browsers keep cookies of up to 4096 bytes (name and value); a session above this drops its ID token. */
const MAX_COOKIE_VALUE = 3_900;
/** How long a renewal's result is shared by the requests that came with the same refresh token. */
const RENEWAL_SHARED_MS = 30_000;

declare module 'express-serve-static-core' {
  interface Request {
    /** The session cookie, opened once per request (see PortalSessions.read). */
    portalSessionRead?: Promise<PortalSession | null>;
  }
}

/**
 * The signed-in person's session: an encrypted, authenticated, HttpOnly, SameSite=Lax cookie
 * (`__Host-valley-session` when Secure) holding who it is and their access and refresh tokens.
 * The access token is renewed with the refresh token shortly before it expires (membership's
 * /sign-in/refresh for members, the provider's token endpoint for coordinators); when that is
 * refused, or the session's time is up, the session is over and the cookie is cleared.
 */
@Injectable()
export class PortalSessions {
  private readonly logger = new Logger('portal');
  /** Renewals under way or just done, by refresh token: rotation makes a second renewal with the same one fail. */
  private readonly renewals = new Map<string, Promise<PortalSession | null>>();

  constructor(
    @Inject(PortalConfig) private readonly config: PortalConfig,
    private readonly cookies: PortalCookies,
    private readonly sealer: SessionSealer,
    private readonly apis: ServiceApis,
    private readonly oidc: CoordinatorOidc,
  ) {}

  /** The session as the cookie has it (not renewed), or null: none, not ours, or over. */
  read(req: Request): Promise<PortalSession | null> {
    req.portalSessionRead ??= this.sealer
      .open('session', req.cookies?.[this.cookies.session])
      .then((payload) => (payload ? asPortalSession(payload) : null))
      .then((session) => (session && session.sessionExpiresAt > nowSeconds() ? session : null));
    return req.portalSessionRead;
  }

  /**
   * The session with an access token good for a while yet (renewed when needed), or null when
   * there is none or it is over (then the cookie is cleared). A service that cannot renew it
   * just now (no answer) is UpstreamUnavailable, unless the current token still works.
   */
  async current(req: Request, res: Response): Promise<PortalSession | null> {
    const session = await this.read(req);
    if (!session) {
      if (req.cookies?.[this.cookies.session] !== undefined) this.clear(req, res);
      return null;
    }
    const now = nowSeconds();
    if (session.accessExpiresAt - now > this.config.PORTAL_RENEW_BEFORE_SECONDS) return session;
    if (!session.refreshToken) {
      if (session.accessExpiresAt > now) return session;
      this.clear(req, res);
      return null;
    }
    let renewed: PortalSession | null;
    try {
      renewed = await this.renewShared(session, req);
    } catch (error) {
      if (session.accessExpiresAt > now + 5) return session;
      throw error;
    }
    if (!renewed) {
      this.clear(req, res);
      return null;
    }
    await this.establish(req, res, renewed);
    return renewed;
  }

  /** Starts a session: the cookie, until the session ends. */
  async establish(req: Request, res: Response, session: PortalSession): Promise<void> {
    let value = await this.sealer.seal('session', session, session.sessionExpiresAt);
    if (value.length > MAX_COOKIE_VALUE && session.idToken) {
      value = await this.sealer.seal('session', { ...session, idToken: null }, session.sessionExpiresAt);
    }
    res.cookie(
      this.cookies.session,
      value,
      this.cookies.options({ maxAge: Math.max(0, session.sessionExpiresAt - nowSeconds()) * 1000 }),
    );
    req.portalSessionRead = Promise.resolve(session);
  }

  clear(req: Request, res: Response): void {
    res.clearCookie(this.cookies.session, this.cookies.options());
    req.portalSessionRead = Promise.resolve(null);
  }

  /** A member's session from membership's POST /sign-in/token answer. */
  memberSession(tokens: MemberSessionTokens): PortalSession {
    const claims = decodeJwt(tokens.accessToken);
    const now = nowSeconds();
    return {
      kind: 'member',
      subject: typeof claims.sub === 'string' ? claims.sub : '',
      email: typeof claims.sub === 'string' ? claims.sub : null,
      name: null,
      memberId: tokens.memberId,
      coordinator: false,
      canChange: tokens.canChange,
      accessToken: tokens.accessToken,
      accessExpiresAt: typeof claims.exp === 'number' ? claims.exp : now + tokens.expiresIn,
      refreshToken: tokens.refreshToken,
      idToken: null,
      sessionExpiresAt: Math.floor(Date.parse(tokens.sessionExpiresAt) / 1000),
    };
  }

  /** A coordinator's (or another provider person's) session from the provider's tokens. */
  coordinatorSession(tokens: CoordinatorTokens): PortalSession {
    return {
      kind: 'coordinator',
      subject: tokens.subject,
      email: tokens.email,
      name: tokens.name,
      memberId: null,
      coordinator: tokens.coordinator,
      canChange: false,
      accessToken: tokens.accessToken,
      accessExpiresAt: tokens.accessExpiresAt,
      refreshToken: tokens.refreshToken,
      idToken: tokens.idToken,
      sessionExpiresAt: nowSeconds() + this.config.PORTAL_SESSION_SECONDS,
    };
  }

  /** The OpenID Connect round trip's state, sealed in a short-lived cookie (10 minutes). */
  async keepTransaction(res: Response, transaction: OidcTransaction): Promise<void> {
    const value = await this.sealer.seal('oidc-transaction', transaction, nowSeconds() + 600);
    res.cookie(this.cookies.oidcTransaction, value, this.cookies.options({ maxAge: 600_000 }));
  }

  /** The transaction the callback belongs to (and forgets it: a code is exchanged once), or null. */
  async takeTransaction(req: Request, res: Response): Promise<OidcTransaction | null> {
    const payload = await this.sealer.open('oidc-transaction', req.cookies?.[this.cookies.oidcTransaction]);
    res.clearCookie(this.cookies.oidcTransaction, this.cookies.options());
    if (!payload) return null;
    const { codeVerifier, state, nonce, next } = payload;
    if (typeof codeVerifier !== 'string' || typeof state !== 'string' || typeof nonce !== 'string') return null;
    return { codeVerifier, state, nonce, next: typeof next === 'string' ? next : null };
  }

  /** Ends the session where it lives (membership, or the provider's refresh token); the caller clears the cookie. */
  async end(session: PortalSession, req: Request): Promise<void> {
    if (!session.refreshToken) return;
    if (session.kind === 'member') {
      try {
        await this.apis.membership.request('/sign-out', {
          method: 'POST',
          body: { refreshToken: session.refreshToken },
          visitor: visitorOf(req),
        });
      } catch (error) {
        // The cookie goes all the same; the membership session then ends with its time.
        this.logger.warn(`member sign-out: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else {
      await this.oidc.revoke(session.refreshToken);
    }
  }

  private renewShared(session: PortalSession, req: Request): Promise<PortalSession | null> {
    const key = session.refreshToken!;
    let renewal = this.renewals.get(key);
    if (!renewal) {
      renewal = this.renew(session, req);
      this.renewals.set(key, renewal);
      const forget = () => setTimeout(() => this.renewals.delete(key), RENEWAL_SHARED_MS).unref();
      renewal.then(forget, () => this.renewals.delete(key));
    }
    return renewal;
  }

  /** The renewed session; null when the session is over (refused); throws when the other side did not answer. */
  private async renew(session: PortalSession, req: Request): Promise<PortalSession | null> {
    if (session.kind === 'member') {
      const answer = await this.apis.membership.request<MemberSessionTokens>('/sign-in/refresh', {
        method: 'POST',
        body: { refreshToken: session.refreshToken },
        visitor: visitorOf(req),
      });
      if (answer.status !== 200) return null;
      const renewed = this.memberSession(answer.body);
      return { ...renewed, sessionExpiresAt: Math.min(renewed.sessionExpiresAt, session.sessionExpiresAt) };
    }
    try {
      const tokens = await this.oidc.refresh(session.refreshToken!, session);
      return { ...this.coordinatorSession(tokens), sessionExpiresAt: session.sessionExpiresAt };
    } catch (error) {
      if (error instanceof OidcRefused) return null;
      throw error;
    }
  }
}
