import { Controller, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { PortalCsrf, pageContext } from '../../http';
import { CoordinatorOnly, SignedIn, SignedInPerson } from '../../session';
import { ApiError, BearerClient, UpstreamUnavailable } from '../../upstream';
import { ViewRenderer } from '../../views';
import {
  DELIVERY_STATUSES,
  deliveriesApiQuery,
  deliveryLogBack,
  deliveryLogPages,
  deliveryLogUrl,
  readDeliveryLogQuery,
} from './delivery-log-query';

/** notifications' `GET /deliveries` item (the fields the page shows). */
export interface Delivery {
  id: string;
  eventType: string;
  recipient: string;
  recipientKind: string;
  template: string;
  language: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

/** notifications' `GET /deliveries/bouncing` item. */
export interface BouncingAddress {
  address: string;
  source: 'smtp' | 'dsn';
  statusCode: string | null;
  reason: string;
  deliveryId: string | null;
  bouncedAt: string;
  organisationId: string | null;
  legalName: string | null;
}

interface TemplateList {
  templates: string[];
  languages: string[];
}

interface TemplatePreview {
  template: string;
  language: string;
  subject: string;
  text: string;
  html: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[a-z][a-z-]{0,60}$/;

/**
 * The email HTML preview's own policy: it is shown in a sandboxed frame of the preview page (no
 * scripts, no forms, no same-origin rights), may use the inline styles emails are written with,
 * and loads nothing from anywhere.
 */
const PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox";

/**
 * `/console/emails`: notifications' delivery log with filters (status, template, recipient) and
 * pages, a retry button on each failed delivery (a CSRF-protected POST, then back to the same
 * list), `/console/emails/bouncing`: the addresses that get no mail because they bounced, and
 * `/console/emails/templates…`: every template's preview in Lithuanian and English.
 */
@Controller('console/emails')
@CoordinatorOnly()
export class EmailsController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
  ) {}

  @Get()
  async log(
    @SignedIn() person: SignedInPerson,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const api = person.apis.notifications;
    const { templates } = await templateList(api);
    const q = readDeliveryLogQuery(query, templates);
    const answer = await api.request<{ items: Delivery[]; nextCursor: string | null } & ApiError>(
      `/deliveries?${deliveriesApiQuery(q)}`,
    );
    let recipientError = false;
    let deliveries: Delivery[] = [];
    let nextCursor: string | null = null;
    if (answer.status === 400) {
      const fields = answer.body?.fields?.map((f) => f.field) ?? [];
      if (fields.includes('recipient')) recipientError = true;
      else if (fields.includes('cursor')) return void res.redirect(303, deliveryLogUrl({ ...q, trail: [] }));
      else throw new UpstreamUnavailable('notifications', `GET /deliveries refused ${fields.join(', ')}`);
    } else if (answer.status !== 200) {
      throw new UpstreamUnavailable('notifications', `GET /deliveries answered ${answer.status}`);
    } else {
      deliveries = answer.body.items;
      nextCursor = answer.body.nextCursor;
    }
    const here = deliveryLogUrl(q);
    const notice = typeof query.retried === 'string' ? query.retried : '';
    res.type('html').send(
      this.views.render('console-emails', pageContext(req, this.csrf.token(req, res)), {
        titleKey: 'console.emails.title',
        hasErrors: recipientError,
        q,
        statuses: DELIVERY_STATUSES,
        templates,
        recipientError,
        deliveries: deliveries.map((d) => ({ ...d, failed: d.status === 'failed' })),
        pages: deliveryLogPages(q, nextCursor),
        page: q.trail.length + 1,
        back: here,
        filtered: Boolean(q.status || q.template || q.recipient),
        notice: ['done', 'notFailed', 'notFound'].includes(notice) ? `console.emails.retry.${notice}` : null,
        noticeKind: notice === 'done' ? 'success' : 'warning',
      }),
    );
  }

  @Get('bouncing')
  async bouncing(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await person.apis.notifications.request<{ items: BouncingAddress[] }>('/deliveries/bouncing');
    if (answer.status !== 200) {
      throw new UpstreamUnavailable('notifications', `GET /deliveries/bouncing answered ${answer.status}`);
    }
    res.type('html').send(
      this.views.render('console-emails-bouncing', pageContext(req, this.csrf.token(req, res)), {
        titleKey: 'console.emails.bouncing.title',
        addresses: answer.body.items,
      }),
    );
  }

  @Post(':id/retry')
  async retry(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const back = deliveryLogBack((req.body as Record<string, unknown> | undefined)?.back);
    if (!UUID.test(id)) throw new NotFoundException();
    const answer = await person.apis.notifications.request<ApiError>(`/deliveries/${id}/retry`, { method: 'POST' });
    const outcome = answer.status === 200 ? 'done' : answer.status === 409 ? 'notFailed' : 'notFound';
    if (answer.status !== 200 && answer.status !== 409 && answer.status !== 404) {
      throw new UpstreamUnavailable('notifications', `POST /deliveries/:id/retry answered ${answer.status}`);
    }
    res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}retried=${outcome}`);
  }

  @Get('templates')
  async templates(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const list = await templateList(person.apis.notifications);
    res.type('html').send(
      this.views.render('console-emails-templates', pageContext(req, this.csrf.token(req, res)), {
        titleKey: 'console.emails.templates.title',
        templates: list.templates.map((name) => ({ name, href: `/console/emails/templates/${name}` })),
      }),
    );
  }

  @Get('templates/:name')
  async template(
    @SignedIn() person: SignedInPerson,
    @Param('name') name: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const list = await templateList(person.apis.notifications);
    if (!list.templates.includes(name)) throw new NotFoundException();
    const previews = await Promise.all(
      list.languages.map(async (language) => ({
        ...(await preview(person.apis.notifications, name, language)),
        htmlHref: `/console/emails/templates/${name}/${language}/html`,
      })),
    );
    res.type('html').send(
      this.views.render('console-emails-template', pageContext(req, this.csrf.token(req, res)), {
        titleKey: 'console.emails.template.title',
        title: this.views.t(pageContext(req).locale, 'console.emails.template.title', { name }),
        name,
        previews,
      }),
    );
  }

  /** The email's HTML part as a mail client would show it, for the preview page's sandboxed frame. */
  @Get('templates/:name/:language/html')
  async templateHtml(
    @SignedIn() person: SignedInPerson,
    @Param('name') name: string,
    @Param('language') language: string,
    @Res() res: Response,
  ): Promise<void> {
    if (!NAME.test(name) || !/^[a-z]{2}$/.test(language)) throw new NotFoundException();
    const rendered = await preview(person.apis.notifications, name, language);
    res.setHeader('Content-Security-Policy', PREVIEW_CSP);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.type('html').send(rendered.html);
  }
}

async function templateList(api: BearerClient): Promise<TemplateList> {
  const answer = await api.request<TemplateList>('/templates');
  if (answer.status !== 200) throw new UpstreamUnavailable('notifications', `GET /templates answered ${answer.status}`);
  return answer.body;
}

async function preview(api: BearerClient, name: string, language: string): Promise<TemplatePreview> {
  const answer = await api.request<TemplatePreview>(
    `/templates/${encodeURIComponent(name)}/preview?language=${encodeURIComponent(language)}`,
  );
  if (answer.status === 400 || answer.status === 404) throw new NotFoundException();
  if (answer.status !== 200) {
    throw new UpstreamUnavailable('notifications', `GET /templates/:name/preview answered ${answer.status}`);
  }
  return answer.body;
}
