import { Body, Controller, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { PortalCsrf, pageContext } from '../../http';
import { localeOf } from '../../http';
import { CoordinatorOnly, SignedIn, SignedInPerson } from '../../session';
import { ApiError, ApplicationView, HistoryEntry, UpstreamUnavailable } from '../../upstream';
import { ViewRenderer } from '../../views';
import {
  ageOf,
  allowedDecisions,
  APPLICATION_STATUSES,
  canErase,
  ERASABLE_APPLICATION_TEXT,
  daysSince,
  Decision,
  isDecision,
  pagerOf,
  parseTrail,
  QUEUE_STATUSES,
} from './review-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const QUEUE_PAGE_SIZE = 25;
/** Days after which the queue marks an application as waiting long. */
const WAITING_LONG_DAYS = 14;
const NOTICES = ['review', 'admit', 'reject', 'erase', 'conflict', 'gone'] as const;

interface QueuePage {
  items: ApplicationView[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

/**
 * The coordinator's review queue (`/console/review`: submitted and under review, oldest first,
 * with their age and the counts per status) and an application's page
 * (`/console/applications/:id`: every field, its history, the decisions its status allows).
 * A decision is a form post; the page it leads back to shows the result and the status at once.
 */
@Controller('console')
@CoordinatorOnly()
export class ConsoleReviewController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
  ) {}

  @Get('review')
  async queue(
    @SignedIn() person: SignedInPerson,
    @Query('p') p: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const trail = parseTrail(p);
    const query = new URLSearchParams({ order: 'oldest', limit: String(QUEUE_PAGE_SIZE) });
    for (const status of QUEUE_STATUSES) query.append('status', status);
    if (trail.length > 0) query.set('cursor', trail[trail.length - 1]);
    const answer = await person.apis.membership.request<QueuePage & ApiError>(`/applications?${query}`);
    if (answer.status === 400 && trail.length > 0) {
      // A cursor the API no longer takes: the queue from its start.
      res.redirect(303, '/console/review');
      return;
    }
    if (answer.status !== 200)
      throw new UpstreamUnavailable('membership', `GET /applications answered ${answer.status}`);
    const locale = localeOf(req);
    const now = new Date();
    const { counts } = answer.body;
    res.type('html').send(
      this.views.render('console-review', pageContext(req), {
        titleKey: 'console.review.title',
        counts: APPLICATION_STATUSES.map((status) => ({
          status,
          count: counts?.[status] ?? 0,
          queued: (QUEUE_STATUSES as readonly string[]).includes(status),
        })),
        waiting: QUEUE_STATUSES.reduce((sum, s) => sum + (counts?.[s] ?? 0), 0),
        items: answer.body.items.map((application) => ({
          application,
          age: ageOf(locale, application.submittedAt, now),
          waitingLong: daysSince(application.submittedAt, now) >= WAITING_LONG_DAYS,
        })),
        pager: pagerOf('/console/review', {}, trail, answer.body.nextCursor),
        firstPage: trail.length === 0,
      }),
    );
  }

  @Get('applications/:id')
  async application(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Query('member') member: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    const notice = NOTICES.find((n) => n === done) ?? null;
    await this.renderApplication(person, id, req, res, {
      notice,
      memberId: typeof member === 'string' && UUID.test(member) ? member : null,
    });
  }

  /** Erasure of a rejected or withdrawn applicant's personal data: a reason, and the free text marked personal. */
  @Post('applications/:id/erase')
  async erase(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    if (reason === '') {
      return this.renderApplication(person, id, req, res, {
        status: 400,
        errors: { erase: 'console.review.decision.reasonRequired' },
      });
    }
    const marked = Array.isArray(body?.personalText) ? body.personalText : [body?.personalText];
    const personalText = ERASABLE_APPLICATION_TEXT.filter((field) => marked.includes(field));
    const answer = await person.apis.membership.request<ApiError>(`/applications/${id}/erase`, {
      method: 'POST',
      body: { reason, personalText },
    });
    if (answer.status === 404) throw new NotFoundException();
    if (answer.status === 409) {
      res.redirect(303, `/console/applications/${id}?done=conflict`);
      return;
    }
    if (answer.status === 400) {
      return this.renderApplication(person, id, req, res, {
        status: 400,
        errors: { erase: 'console.review.decision.invalid' },
      });
    }
    if (answer.status >= 300) {
      throw new UpstreamUnavailable('membership', `POST /applications/:id/erase answered ${answer.status}`);
    }
    res.redirect(303, `/console/applications/${id}?done=erase`);
  }

  @Post('applications/:id/:decision')
  async decide(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Param('decision') decision: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id) || !isDecision(decision)) throw new NotFoundException();
    const text = (name: string) => (typeof body?.[name] === 'string' ? (body[name] as string).trim() : '');
    const reason = text('reason');
    const note = text('note');
    if (decision === 'reject' && reason === '') {
      return this.renderApplication(person, id, req, res, {
        status: 400,
        errors: { reject: 'console.review.decision.reasonRequired' },
        typed: { note, reason },
      });
    }
    const payload = decision === 'reject' ? { reason } : note ? { note } : {};
    const answer = await person.apis.membership.request<ApiError & { memberId?: string }>(
      `/applications/${id}/${decision}`,
      { method: 'POST', body: payload },
    );
    if (answer.status === 404) throw new NotFoundException();
    if (answer.status === 409) {
      res.redirect(303, `/console/applications/${id}?done=conflict`);
      return;
    }
    if (answer.status === 400) {
      const key = decision === 'reject' ? 'reject' : decision;
      return this.renderApplication(person, id, req, res, {
        status: 400,
        errors: { [key]: 'console.review.decision.invalid' },
        typed: { note, reason },
      });
    }
    if (answer.status >= 300) {
      throw new UpstreamUnavailable('membership', `POST /applications/:id/${decision} answered ${answer.status}`);
    }
    const memberId = decision === 'admit' && answer.body?.memberId ? `&member=${answer.body.memberId}` : '';
    res.redirect(303, `/console/applications/${id}?done=${decision}${memberId}`);
  }

  private async renderApplication(
    person: SignedInPerson,
    id: string,
    req: Request,
    res: Response,
    options: {
      notice?: (typeof NOTICES)[number] | null;
      memberId?: string | null;
      status?: number;
      errors?: Partial<Record<Decision | 'erase', string>>;
      typed?: { note: string; reason: string };
    },
  ): Promise<void> {
    const [application, history] = await Promise.all([
      person.apis.membership.request<ApplicationView>(`/applications/${id}`),
      person.apis.membership.request<HistoryEntry[]>(`/applications/${id}/history`),
    ]);
    if (application.status === 404) throw new NotFoundException();
    if (application.status !== 200) {
      throw new UpstreamUnavailable('membership', `GET /applications/:id answered ${application.status}`);
    }
    const decisions = allowedDecisions(application.body.status);
    const erasable = canErase(application.body);
    const locale = localeOf(req);
    const notice = options.notice ?? null;
    res
      .status(options.status ?? 200)
      .type('html')
      .send(
        this.views.render(
          'console-application',
          pageContext(req, decisions.length > 0 || erasable ? this.csrf.token(req, res) : undefined),
          {
            title: application.body.legalName,
            hasErrors: Boolean(options.errors && Object.keys(options.errors).length > 0),
            application: application.body,
            age: ageOf(locale, application.body.submittedAt),
            history: history.status === 200 ? [...history.body].reverse() : [],
            can: Object.fromEntries(decisions.map((d) => [d, true])),
            decided: decisions.length === 0,
            erase: erasable ? { personalText: ERASABLE_APPLICATION_TEXT } : null,
            notice,
            noticeKind: notice === 'conflict' || notice === 'gone' ? 'warning' : 'success',
            noticeKey: notice ? `console.review.notice.${notice}` : null,
            memberId: options.memberId ?? null,
            errors: options.errors ?? {},
            typed: options.typed ?? { note: '', reason: '' },
          },
        ),
      );
  }
}
