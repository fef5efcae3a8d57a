import { Body, Controller, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Cluster } from '../content';
import { PortalCookies } from '../http';
import { PortalCsrf } from '../http';
import { pageContext, visitorOf } from '../http';
import { ApiError, ApplicationView, HistoryEntry, ServiceApis } from '../upstream';
import { UpstreamUnavailable } from '../upstream';
import { ViewRenderer } from '../views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;
const WITHDRAWABLE = ['submitted', 'under_review'];
const NOTICES = ['withdrawn', 'notAllowed'];

/**
 * The applicant's pages, reached with the applicant token (the link in the acknowledgement email,
 * `/applications/:id?token=…`). The token moves into an HttpOnly cookie scoped to that
 * application's path and the browser is sent on to the clean URL, so that it stays out of the
 * address bar, the history and (Referrer-Policy: no-referrer) any Referer. Membership checks the
 * token on every call (`X-Applicant-Token`); the portal keeps nothing.
 */
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly apis: ServiceApis,
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
    private readonly cookies: PortalCookies,
    private readonly cluster: Cluster,
  ) {}

  @Get(':id')
  async status(
    @Param('id') id: string,
    @Query('token') token: unknown,
    @Query('notice') notice: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    if (token !== undefined) {
      if (typeof token === 'string' && TOKEN.test(token)) this.cookies.setApplicantToken(res, id, token);
      res.redirect(303, `/applications/${id}`);
      return;
    }
    const applicantToken = this.tokenOf(req);
    const found = applicantToken ? await this.application(id, applicantToken, req) : null;
    if (!found) return this.linkNeeded(req, res);
    const { application, history } = found;
    const withdrawable = WITHDRAWABLE.includes(application.status);
    res.type('html').send(
      this.views.render('application', pageContext(req, withdrawable ? this.csrf.token(req, res) : undefined), {
        titleKey: 'status.title',
        application,
        history,
        withdrawable,
        notice: typeof notice === 'string' && NOTICES.includes(notice) ? `status.notice.${notice}` : null,
        coordinatorEmail: this.cluster.in(pageContext(req).locale).coordinator.email,
      }),
    );
  }

  /** After /apply: the reference and the link to follow the application (the cookie holds the token). */
  @Get(':id/submitted')
  async submitted(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    const token = this.tokenOf(req);
    if (!token) return this.linkNeeded(req, res);
    let application: ApplicationView | null = null;
    try {
      application = (await this.application(id, token, req))?.application ?? null;
      if (!application) return this.linkNeeded(req, res);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
    }
    const statusPath = `/applications/${id}?token=${encodeURIComponent(token)}`;
    res.type('html').send(
      this.views.render('submitted', pageContext(req), {
        titleKey: 'submitted.title',
        id,
        application,
        statusHref: statusPath,
        statusLink: `${req.protocol}://${req.get('host')}${statusPath}`,
      }),
    );
  }

  @Post(':id/withdraw')
  async withdraw(
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    const token = this.tokenOf(req);
    if (!token) return this.linkNeeded(req, res);
    const reason = typeof body?.reason === 'string' ? body.reason.trim().slice(0, 2000) : '';
    const answer = await this.apis.membership.request<ApiError>(`/applications/${id}/withdraw`, {
      method: 'POST',
      body: reason ? { reason } : {},
      headers: { 'x-applicant-token': token },
      visitor: visitorOf(req),
    });
    if (answer.status === 404 || answer.status === 401) return this.linkNeeded(req, res);
    const notice = answer.status < 300 ? 'withdrawn' : 'notAllowed';
    res.redirect(303, `/applications/${id}?notice=${notice}`);
  }

  private tokenOf(req: Request): string | null {
    const token: unknown = req.cookies?.[this.cookies.applicant];
    return typeof token === 'string' && TOKEN.test(token) ? token : null;
  }

  /** The application and its history as its applicant sees them; null when the token is not its applicant's. */
  private async application(
    id: string,
    token: string,
    req: Request,
  ): Promise<{ application: ApplicationView; history: HistoryEntry[] } | null> {
    const request = { headers: { 'x-applicant-token': token }, visitor: visitorOf(req) };
    const [application, history] = await Promise.all([
      this.apis.membership.request<ApplicationView>(`/applications/${id}`, request),
      this.apis.membership.request<HistoryEntry[]>(`/applications/${id}/history`, request),
    ]);
    if (application.status !== 200) return null;
    return { application: application.body, history: history.status === 200 ? history.body : [] };
  }

  private linkNeeded(req: Request, res: Response): void {
    res
      .status(404)
      .type('html')
      .send(this.views.render('link-needed', pageContext(req), { titleKey: 'status.linkNeeded.title' }));
  }
}
