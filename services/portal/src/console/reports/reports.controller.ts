import { naceEntry } from '@valley/contracts';
import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Cluster } from '../../content';
import { PortalCsrf, localeOf, pageContext } from '../../http';
import { countryName, formatNumber, INTL_LOCALE, Locale, Messages } from '../../i18n';
import { CoordinatorOnly, SignedIn, SignedInPerson } from '../../session';
import { ApiError, BearerClient, UpstreamUnavailable } from '../../upstream';
import { ViewRenderer } from '../../views';
import { barChart, lineChart } from './charts';
import { CSV_REPORTS, csvQuery, DIMENSIONS, Dimension, readReportsQuery } from './reports-query';

interface GrowthReport {
  startMembers: number;
  points: {
    period: string;
    start: string;
    end: string;
    members: number;
    admissions: number;
    exits: number;
    netChange: number;
  }[];
}
interface CompositionReport {
  members: number;
  groups: { value: string; members: number; share: number }[];
}
interface FunnelReport {
  submitted: number;
  admitted: number;
  rejected: number;
  withdrawn: number;
  open: number;
  conversionRate: number | null;
  daysToDecision: { median: number | null; p90: number | null };
  oldestOpen: { applicationId: string; submittedAt: string; ageDays: number } | null;
}
interface NotificationsReport {
  sent: number;
  failed: number;
  failureRate: number | null;
  rows: { template: string; language: string; sent: number; failed: number; failureRate: number | null }[];
}

const FUNNEL_STAGES = ['submitted', 'admitted', 'rejected', 'withdrawn', 'open'] as const;

/**
 * `/console/reports`: the coordinator's dashboard over the reporting service's JSON — growth over
 * time (a line), composition by every dimension on a chosen day (bars), the application funnel with
 * the time to decision, and email delivery figures — each with its CSV, which the portal fetches
 * from the reporting service (`format=csv`) and passes on as it is.
 */
@Controller('console/reports')
@CoordinatorOnly()
export class ReportsController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
    private readonly cluster: Cluster,
    private readonly messages: Messages,
  ) {}

  @Get()
  async dashboard(
    @SignedIn() person: SignedInPerson,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    const { q, invalid } = readReportsQuery(query);
    const api = person.apis.reporting;
    const [growth, funnel, notifications, ...compositions] = await Promise.all([
      report<GrowthReport>(api, 'growth', { from: q.from, to: q.to, interval: q.interval }),
      report<FunnelReport>(api, 'funnel', { from: q.from, to: q.to }),
      report<NotificationsReport>(api, 'notifications', { from: q.from, to: q.to }),
      ...DIMENSIONS.map((by) => report<CompositionReport>(api, 'composition', { by, asOf: q.asOf })),
    ]);
    const number = (n: number) => formatNumber(locale, n);
    const percent = (r: number | null) =>
      r === null
        ? '–'
        : new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent', maximumFractionDigits: 1 }).format(r);
    const days = (d: number | null) =>
      d === null ? '–' : this.views.t(locale, 'console.reports.funnel.days', { count: d });
    res.type('html').send(
      this.views.render('console-reports', pageContext(req, this.csrf.token(req, res)), {
        titleKey: 'console.reports.title',
        hasErrors: invalid.length > 0,
        invalid,
        q,
        intervals: ['day', 'week', 'month'],
        growth: {
          report: growth,
          chart: lineChart(growth.points.map((p) => ({ label: p.period, value: p.members }))),
          rows: growth.points,
          csv: `/console/reports/csv/growth?${csvQuery('growth', q)}`,
        },
        compositions: compositions.map((c, i) => ({
          by: DIMENSIONS[i],
          members: c.members,
          chart: barChart(
            c.groups.map((g) => ({
              label: this.valueLabel(locale, DIMENSIONS[i], g.value),
              value: g.members,
              text: `${number(g.members)} (${percent(g.share)})`,
            })),
          ),
          csv: `/console/reports/csv/composition?${csvQuery('composition', q, DIMENSIONS[i])}`,
        })),
        funnel: {
          report: funnel,
          chart: barChart(
            FUNNEL_STAGES.map((stage) => ({
              label: this.views.t(locale, `console.reports.funnel.stage.${stage}`),
              value: funnel[stage],
              text: number(funnel[stage]),
            })),
          ),
          conversion: percent(funnel.conversionRate),
          median: days(funnel.daysToDecision.median),
          p90: days(funnel.daysToDecision.p90),
          oldestDays: funnel.oldestOpen ? days(funnel.oldestOpen.ageDays) : null,
          csv: `/console/reports/csv/funnel?${csvQuery('funnel', q)}`,
        },
        notifications: {
          report: notifications,
          failureRate: percent(notifications.failureRate),
          chart: barChart(
            notifications.rows.map((r) => ({
              label: `${r.template} (${r.language})`,
              value: r.sent + r.failed,
              text: this.views.t(locale, 'console.reports.notifications.row', {
                sent: r.sent,
                failed: r.failed,
                rate: percent(r.failureRate),
              }),
            })),
          ),
          csv: `/console/reports/csv/notifications?${csvQuery('notifications', q)}`,
        },
      }),
    );
  }

  /** A report's CSV from the reporting service (its bytes: BOM, CRLF), as a download. */
  @Get('csv/:name')
  async csv(
    @SignedIn() person: SignedInPerson,
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    if (!(CSV_REPORTS as readonly string[]).includes(name)) throw new NotFoundException();
    const { q, invalid } = readReportsQuery(query);
    const by = typeof query.by === 'string' ? query.by : '';
    if (invalid.length > 0 || (name === 'composition' && !(DIMENSIONS as readonly string[]).includes(by))) {
      throw new BadRequestException('bad report parameters');
    }
    const answer = await person.apis.reporting.request<string>(
      `/reports/${name}?${csvQuery(name as (typeof CSV_REPORTS)[number], q, by as Dimension)}&format=csv`,
      { responseType: 'text', headers: { accept: 'text/csv' } },
    );
    if (answer.status === 400) throw new BadRequestException('the reporting service refused the parameters');
    if (answer.status !== 200)
      throw new UpstreamUnavailable('reporting', `GET /reports/${name} answered ${answer.status}`);
    const disposition = answer.headers['content-disposition'];
    res.type('text/csv; charset=utf-8');
    if (typeof disposition === 'string' && /^attachment; filename="[A-Za-z0-9._-]+"$/.test(disposition)) {
      res.setHeader('Content-Disposition', disposition);
    } else {
      res.attachment(`${name}.csv`);
    }
    res.send(answer.body);
  }

  /** A composition group's value as the reader knows it (a country's name, a size class's label…). */
  private valueLabel(locale: Locale, by: Dimension, value: string): string {
    switch (by) {
      case 'country':
        return countryName(locale, value);
      case 'focusArea':
        return this.cluster.focusAreaTitle(locale, value);
      case 'organisationType':
      case 'sizeClass': {
        const key = `vocab.${by}.${value}`;
        return this.messages.has(locale, key) ? this.messages.t(locale, key) : value;
      }
      case 'sector': {
        const title = naceEntry(value)?.title;
        return title ? `${value} ${title}` : value;
      }
      default:
        return value;
    }
  }
}

async function report<T>(api: BearerClient, name: string, params: Record<string, string>): Promise<T> {
  const answer = await api.request<T & ApiError>(`/reports/${name}?${new URLSearchParams(params)}`);
  if (answer.status !== 200)
    throw new UpstreamUnavailable('reporting', `GET /reports/${name} answered ${answer.status}`);
  return answer.body;
}
