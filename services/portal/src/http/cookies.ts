import { CookieOptions, Response } from 'express';

/**
 * The portal's cookies, all HttpOnly and SameSite; Secure outside development. Names carry the
 * `__Host-` prefix when Secure (the browser then refuses them from anything but this host, over
 * https, for the whole site) and `__Secure-` for the applicant's, which is scoped to one path.
 */
export class PortalCookies {
  constructor(readonly secure: boolean) {}

  /** The visitor's random id, which binds its CSRF tokens (the portal keeps no sessions). */
  get visitor(): string {
    return this.siteWide('valley-visitor');
  }

  get csrf(): string {
    return this.siteWide('valley-csrf');
  }

  /** The language chosen with the switch. */
  get language(): string {
    return this.siteWide('valley-lang');
  }

  /** The signed-in person's session (encrypted: see session/session-sealer.ts). */
  get session(): string {
    return this.siteWide('valley-session');
  }

  /** A coordinator's sign-in under way at the provider: PKCE verifier, state, nonce (encrypted, 10 minutes). */
  get oidcTransaction(): string {
    return this.siteWide('valley-oidc');
  }

  /** Where a member asking for a sign-in link comes back to once it is opened (15 minutes). */
  get signInNext(): string {
    return this.siteWide('valley-sign-in-next');
  }

  /** The applicant token of one application, sent only to /applications/<id>… */
  get applicant(): string {
    return this.secure ? '__Secure-valley-applicant' : 'valley-applicant';
  }

  options(extra: CookieOptions = {}): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', ...extra };
  }

  setLanguage(res: Response, locale: string): void {
    res.cookie(this.language, locale, this.options({ maxAge: 365 * 24 * 3600 * 1000 }));
  }

  setSignInNext(res: Response, next: string): void {
    res.cookie(this.signInNext, next, this.options({ maxAge: 15 * 60 * 1000 }));
  }

  clearSignInNext(res: Response): void {
    res.clearCookie(this.signInNext, this.options());
  }

  /** Scoped to the application's pages: the token goes to no other page, nor to other applications'. */
  setApplicantToken(res: Response, applicationId: string, token: string): void {
    res.cookie(
      this.applicant,
      token,
      this.options({ path: applicantPath(applicationId), maxAge: 90 * 24 * 3600 * 1000 }),
    );
  }

  clearApplicantToken(res: Response, applicationId: string): void {
    res.clearCookie(this.applicant, this.options({ path: applicantPath(applicationId) }));
  }

  private siteWide(name: string): string {
    return this.secure ? `__Host-${name}` : name;
  }
}

export function applicantPath(applicationId: string): string {
  return `/applications/${applicationId}`;
}
