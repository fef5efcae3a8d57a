import { Body, Controller, Get, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { SIGN_IN_TOKEN_PATTERN } from '@valley/contracts';
import { Request, Response } from 'express';
import { PortalCookies, PortalCsrf, pageContext, visitorOf } from '../http';
import { CoordinatorOidc, OidcRefused, PortalSessions, signInNext } from '../session';
import { ApiError, MemberSessionTokens, ServiceApis, UpstreamUnavailable } from '../upstream';
import { ViewRenderer } from '../views';

const MAX_EMAIL = 320;
/** What the email field takes before membership decides (it checks the address itself). */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Signing in. Members: an email form → membership sends a one-time link (the page says the same
 * whatever the address) → `/sign-in/link?token=…` is a page with a button whose POST exchanges
 * the token (never the GET: mail scanners open links) → `/account`. Coordinators: a button → the
 * OpenID Connect provider (code flow, PKCE S256, state, nonce) → `/sign-in/callback` → `/console`.
 * `next` (a path of this site, see signInNext) brings the person back to where they were.
 */
@Controller()
export class SignInController {
  private readonly logger = new Logger('portal');

  constructor(
    private readonly apis: ServiceApis,
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
    private readonly cookies: PortalCookies,
    private readonly sessions: PortalSessions,
    private readonly oidc: CoordinatorOidc,
  ) {}

  @Get('sign-in')
  async signInPage(
    @Query('next') next: unknown,
    @Query('ended') ended: unknown,
    @Query('signedOut') signedOut: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const session = await this.sessions.read(req);
    this.page(req, res, 200, 'sign-in', {
      titleKey: 'signIn.title',
      next: signInNext(next),
      notice: ended === '1' ? 'signIn.ended' : signedOut === '1' ? 'signIn.signedOut' : null,
      signedInAs: session ? (session.name ?? session.email ?? session.subject) : null,
      email: this.emailField(''),
    });
  }

  @Post('sign-in/email')
  async askForLink(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const next = signInNext(body?.next);
    const email = typeof body?.email === 'string' ? body.email.trim() : '';
    const retry = (status: number, error: string | null, problem: string | null = null) =>
      this.page(req, res, status, 'sign-in', {
        titleKey: 'signIn.title',
        hasErrors: error !== null,
        next,
        problem,
        email: this.emailField(email, error),
        errorSummary: error ? [{ href: '#email', text: error }] : [],
      });
    const t = (key: string) => this.views.t(pageContext(req).locale, key);
    if (email === '' || email.length > MAX_EMAIL || !EMAIL.test(email)) return retry(400, t('signIn.email.invalid'));
    try {
      const answer = await this.apis.membership.request<ApiError>('/sign-in/links', {
        method: 'POST',
        body: { email },
        visitor: visitorOf(req),
      });
      if (answer.status === 400) return retry(400, t('signIn.email.invalid'));
      if (answer.status !== 202) throw new UpstreamUnavailable('membership', `answered ${answer.status}`);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      this.logger.warn(error.message);
      return retry(
        error.status === 429 ? 429 : 503,
        null,
        error.status === 429 ? 'signIn.tooMany' : 'signIn.unavailable',
      );
    }
    if (next) this.cookies.setSignInNext(res, next);
    else this.cookies.clearSignInNext(res);
    res.redirect(303, '/sign-in/check-email');
  }

  @Get('sign-in/check-email')
  checkEmail(@Req() req: Request, @Res() res: Response): void {
    this.page(req, res, 200, 'sign-in-check-email', { titleKey: 'signIn.checkEmail.title' });
  }

  /** The email's link: a page with a button. The GET changes nothing (scanners open links first). */
  @Get('sign-in/link')
  linkPage(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response): void {
    if (typeof token !== 'string' || !SIGN_IN_TOKEN_PATTERN.test(token)) return this.linkInvalid(req, res);
    this.page(req, res, 200, 'sign-in-link', { titleKey: 'signIn.link.title', token });
  }

  @Post('sign-in/link')
  async exchangeLink(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const token = body?.token;
    if (typeof token !== 'string' || !SIGN_IN_TOKEN_PATTERN.test(token)) return this.linkInvalid(req, res);
    const answer = await this.apis.membership.request<MemberSessionTokens & ApiError>('/sign-in/token', {
      method: 'POST',
      body: { token },
      visitor: visitorOf(req),
    });
    if (answer.status === 403 && answer.body?.code === 'MEMBERSHIP_ENDED') {
      return this.page(req, res, 403, 'sign-in-problem', {
        titleKey: 'signIn.membershipEnded.title',
        textKey: 'signIn.membershipEnded.text',
      });
    }
    if (answer.status !== 200) return this.linkInvalid(req, res);
    await this.sessions.establish(req, res, this.sessions.memberSession(answer.body));
    const next = signInNext(req.cookies?.[this.cookies.signInNext]);
    this.cookies.clearSignInNext(res);
    res.redirect(303, next ?? '/account');
  }

  /** To the provider: the PKCE verifier, state, nonce and `next` wait in a sealed cookie. */
  @Post('sign-in/coordinator')
  async coordinator(@Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const { url, transaction } = await this.oidc.start(signInNext(body?.next));
    await this.sessions.keepTransaction(res, transaction);
    res.redirect(303, url);
  }

  @Get('sign-in/callback')
  async callback(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const transaction = await this.sessions.takeTransaction(req, res);
    if (!transaction) return this.problem(req, res, 400, 'expired');
    if (query.error === 'access_denied') return this.problem(req, res, 400, 'cancelled');
    try {
      const tokens = await this.oidc.finish(query, transaction);
      await this.sessions.establish(req, res, this.sessions.coordinatorSession(tokens));
    } catch (error) {
      if (!(error instanceof OidcRefused)) throw error;
      this.logger.warn(error.message);
      return this.problem(req, res, 400, 'failed');
    }
    res.redirect(303, transaction.next ?? '/console');
  }

  /**
   * Signs out: ends the session where it lives (membership's session; the provider's refresh
   * token, then its RP-initiated logout, which comes back to `/`), and clears the cookie.
   */
  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = await this.sessions.read(req);
    this.sessions.clear(req, res);
    if (!session) return res.redirect(303, '/sign-in?signedOut=1');
    await this.sessions.end(session, req);
    if (session.kind === 'coordinator') {
      let logout: string | null = null;
      try {
        logout = await this.oidc.endSessionUrl(session.idToken);
      } catch (error) {
        this.logger.warn(`sign-out at the provider: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (logout) return res.redirect(303, logout);
    }
    res.redirect(303, '/sign-in?signedOut=1');
  }

  private linkInvalid(req: Request, res: Response): void {
    this.page(req, res, 400, 'sign-in-link-invalid', {
      titleKey: 'signIn.linkInvalid.title',
      email: this.emailField(''),
    });
  }

  private problem(req: Request, res: Response, status: number, kind: 'expired' | 'cancelled' | 'failed'): void {
    this.page(req, res, status, 'sign-in-problem', {
      titleKey: `signIn.coordinatorProblem.${kind}.title`,
      textKey: `signIn.coordinatorProblem.${kind}.text`,
      tryAgain: true,
    });
  }

  private emailField(value: string, error: string | null = null) {
    return { id: 'email', name: 'email', value, error };
  }

  private page(req: Request, res: Response, status: number, view: string, model: Record<string, unknown>): void {
    res
      .status(status)
      .type('html')
      .send(this.views.render(view, pageContext(req, this.csrf.token(req, res)), model));
  }
}
