import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Dimension, SECTOR_LEVEL_LENGTH, SectorLevel } from './composition';
import { Cohort } from './dto/retention.query';
import { Interval, nextDay, periodsBetween } from './periods';
import { ReportView } from './report-view';

export interface GrowthPoint {
  period: string;
  start: string;
  end: string;
  /** Members at the end of the period. */
  members: number;
  admissions: number;
  exits: number;
  netChange: number;
}

export interface GrowthReport {
  from: string;
  to: string;
  interval: Interval;
  /** Members at the start of `from`. */
  startMembers: number;
  points: GrowthPoint[];
}

/** One member on the roster's day, as it was then. */
export interface RosterEntry {
  memberId: string;
  membershipType: string;
  /** `active` or `suspended` on that day. */
  status: string;
  organisationType: string;
  sizeClass: string;
  country: string;
  region: string;
  sectorCodes: string[];
  focusAreas: string[];
  /** The day (UTC) of the admission that began the membership it was in. */
  admittedOn: string;
}

export interface RosterReport {
  asOf: string;
  members: number;
  entries: RosterEntry[];
}

export interface RetentionStep {
  /** Full years since admission. */
  years: number;
  /** Memberships of the cohort admitted at least `years` years before the end of `asOf`. */
  eligible: number;
  /** Of those, the ones still running `years` years after their admission. */
  retained: number;
  /** retained / eligible. */
  share: number;
}

export interface RetentionCohort {
  /** `2024` or `2024-Q1`. */
  cohort: string;
  /** Memberships begun in the cohort (an organisation admitted again after leaving counts again). */
  admitted: number;
  /** Of those, still running at the end of `asOf`. */
  membersNow: number;
  /** One step per full year that at least one of the cohort has reached by `asOf`. */
  after: RetentionStep[];
}

export interface RetentionReport {
  asOf: string;
  cohort: Cohort;
  cohorts: RetentionCohort[];
}

export interface CompositionGroup {
  value: string;
  members: number;
  /** Of all members on that day; multi-valued dimensions (sector, focusArea) add up to more than 1. */
  share: number;
}

export interface CompositionReport {
  asOf: string;
  by: Dimension;
  level?: SectorLevel;
  members: number;
  groups: CompositionGroup[];
}

export interface FunnelReport {
  from: string;
  to: string;
  submitted: number;
  admitted: number;
  rejected: number;
  withdrawn: number;
  open: number;
  /** admitted / submitted; null without applications. */
  conversionRate: number | null;
  daysToDecision: { median: number | null; p90: number | null };
  oldestOpen: { applicationId: string; submittedAt: string; ageDays: number } | null;
}

export interface NotificationRow {
  template: string;
  language: string;
  sent: number;
  failed: number;
  failureRate: number | null;
  /** Deliveries of this template and language whose address bounced in the range (refused, or reported later). */
  bounced: number;
}

export interface NotificationsReport {
  from: string;
  to: string;
  sent: number;
  failed: number;
  failureRate: number | null;
  /** Bounces in the range, those of a delivery we cannot name (a bounce report about an unknown message) included. */
  bounced: number;
  rows: NotificationRow[];
}

const DIMENSION_COLUMN: Record<Exclude<Dimension, 'sector' | 'focusArea'>, string> = {
  region: 'region',
  country: 'country',
  organisationType: 'organisation_type',
  sizeClass: 'size_class',
};

/** Valid at the end of the day: started before the next midnight (UTC), not ended by it. */
const VALID_AT = (t: string) => `m.valid_from < ${t} AND (m.valid_to IS NULL OR m.valid_to >= ${t})`;

/** Lithuanian alphabetical order for names (Šiaulių after Kauno, before Vilniaus), whatever the database's collation. */
const VALUE_ORDER = new Intl.Collator('lt');

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : null);
const utc = (day: string) => `${day}T00:00:00Z`;

/** Answers each report from the facts, with a few indexed, set-based queries. */
@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Members at the end of the given day. */
  async memberCount(asOf: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM "reporting"."member_spans"
       WHERE admitted_at < $1 AND (ended_at IS NULL OR ended_at >= $1)`,
      [utc(nextDay(asOf))],
    );
    return n;
  }

  /**
   * Every member at the end of `asOf` with its dimensions as they were then (the stretch of
   * member_intervals holding that moment) and the admission of the membership it was in, oldest
   * admission first. No chart: a roster is a list.
   */
  async roster(asOf: string): Promise<Omit<ReportView<RosterReport>, 'chart'>> {
    const rows: (Omit<RosterEntry, 'admittedOn'> & { admittedOn: Date })[] = await this.dataSource.query(
      `SELECT m.member_id AS "memberId", s.membership_type AS "membershipType", m.status,
              m.organisation_type AS "organisationType", m.size_class AS "sizeClass", m.country, m.region,
              m.sector_codes AS "sectorCodes", m.focus_areas AS "focusAreas", s.admitted_at AS "admittedOn"
       FROM "reporting"."member_intervals" m
       JOIN "reporting"."member_spans" s
         ON s.member_id = m.member_id AND s.admitted_at < $1 AND (s.ended_at IS NULL OR s.ended_at >= $1)
       WHERE ${VALID_AT('$1')}
       ORDER BY s.admitted_at, m.member_id`,
      [utc(nextDay(asOf))],
    );
    const entries = rows.map((row) => ({ ...row, admittedOn: row.admittedOn.toISOString().slice(0, 10) }));
    return {
      name: `roster-${asOf}`,
      json: { asOf, members: entries.length, entries },
      table: {
        columns: [
          'memberId',
          'membershipType',
          'status',
          'organisationType',
          'sizeClass',
          'country',
          'region',
          'sectorCodes',
          'focusAreas',
          'admittedOn',
        ],
        rows: entries.map((e) => [
          e.memberId,
          e.membershipType,
          e.status,
          e.organisationType,
          e.sizeClass,
          e.country,
          e.region,
          e.sectorCodes.join(' '),
          e.focusAreas.join(' '),
          e.admittedOn,
        ]),
      },
    };
  }

  /**
   * Per admission cohort: how many memberships began in it and what share was still running
   * 1, 2, 3… years after its own admission. A membership counts for year n only once n years
   * have passed by the end of `asOf` (the young part of a cohort is not counted as lost). One
   * scan of member_spans, grouped by (cohort, full years reached, full years lasted); the
   * steps are summed up from those few rows.
   */
  async retention(cohort: Cohort, asOf: string): Promise<ReportView<RetentionReport>> {
    const label = cohort === 'year' ? 'YYYY' : 'YYYY-"Q"Q';
    const rows: { cohort: string; reached: number; lasted: number; now: boolean; n: number }[] =
      await this.dataSource.query(
        `WITH spans AS (
           SELECT admitted_at AT TIME ZONE 'UTC' AS admitted, ended_at AT TIME ZONE 'UTC' AS ended
           FROM "reporting"."member_spans" WHERE admitted_at < $1
         )
         SELECT to_char(date_trunc($2, admitted), '${label}') AS cohort,
                extract(year FROM age($1 AT TIME ZONE 'UTC', admitted))::int AS reached,
                CASE WHEN ended IS NULL OR ended >= $1 AT TIME ZONE 'UTC' THEN NULL
                     ELSE extract(year FROM age(ended, admitted))::int END AS lasted,
                (ended IS NULL OR ended >= $1 AT TIME ZONE 'UTC') AS now,
                count(*)::int AS n
         FROM spans GROUP BY 1, 2, 3, 4 ORDER BY 1`,
        [utc(nextDay(asOf)), cohort],
      );
    const cohorts = new Map<string, { admitted: number; membersNow: number; reached: number[]; kept: number[] }>();
    for (const row of rows) {
      let c = cohorts.get(row.cohort);
      if (!c) cohorts.set(row.cohort, (c = { admitted: 0, membersNow: 0, reached: [], kept: [] }));
      c.admitted += row.n;
      if (row.now) c.membersNow += row.n;
      // Still running after year n when it lasted at least n full years (or runs still).
      const lasted = row.lasted ?? row.reached;
      for (let n = 1; n <= row.reached; n++) {
        c.reached[n] = (c.reached[n] ?? 0) + row.n;
        if (lasted >= n) c.kept[n] = (c.kept[n] ?? 0) + row.n;
      }
    }
    const result: RetentionCohort[] = [...cohorts].map(([name, c]) => ({
      cohort: name,
      admitted: c.admitted,
      membersNow: c.membersNow,
      after: c.reached.flatMap((eligible, years) =>
        eligible
          ? [{ years, eligible, retained: c.kept[years] ?? 0, share: ratio(c.kept[years] ?? 0, eligible)! }]
          : [],
      ),
    }));
    const maxYears = Math.max(0, ...result.map((c) => c.after.length));
    const steps = Array.from({ length: maxYears }, (_, i) => i + 1);
    return {
      name: `retention-${cohort}-${asOf}`,
      json: { asOf, cohort, cohorts: result },
      table: {
        columns: ['cohort', 'admitted', 'members_now', ...steps.map((n) => `after_${n}_${n === 1 ? 'year' : 'years'}`)],
        rows: result.map((c) => [
          c.cohort,
          c.admitted,
          c.membersNow,
          ...steps.map((n) => c.after.find((s) => s.years === n)?.share ?? null),
        ]),
      },
      chart: {
        kind: 'lines',
        title: `Share of each ${cohort}'s admissions still members after n years (as of ${asOf})`,
        unit: '% still members',
        max: 100,
        labels: ['0', ...steps.map(String)],
        series: result.map((c) => ({
          name: c.cohort,
          values: [
            100,
            ...steps.map((n) => {
              const step = c.after.find((s) => s.years === n);
              return step ? round(step.share * 100, 1) : null;
            }),
          ],
        })),
      },
    };
  }

  async growth(from: string, to: string, interval: Interval): Promise<ReportView<GrowthReport>> {
    const start = utc(from);
    const end = utc(nextDay(to));
    const [[{ n: startMembers }], admissions, exits] = await Promise.all([
      this.dataSource.query(
        `SELECT count(*)::int AS n FROM "reporting"."member_spans"
         WHERE admitted_at < $1 AND (ended_at IS NULL OR ended_at >= $1)`,
        [start],
      ),
      this.perDay('admitted_at', start, end),
      this.perDay('ended_at', start, end),
    ]);
    const periods = periodsBetween(from, to, interval);
    const points: GrowthPoint[] = periods.map((p) => ({
      period: p.label,
      start: p.start,
      end: p.end,
      members: 0,
      admissions: 0,
      exits: 0,
      netChange: 0,
    }));
    const indexOf = (day: string) => {
      let lo = 0;
      let hi = periods.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (periods[mid].start <= day) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (const { day, n } of admissions) points[indexOf(day)].admissions += n;
    for (const { day, n } of exits) points[indexOf(day)].exits += n;
    let members = startMembers;
    for (const point of points) {
      point.netChange = point.admissions - point.exits;
      members += point.netChange;
      point.members = members;
    }
    return {
      name: `growth-${from}-${to}-${interval}`,
      json: { from, to, interval, startMembers, points },
      table: {
        columns: ['period', 'start', 'end', 'members', 'admissions', 'exits', 'net_change'],
        rows: points.map((p) => [p.period, p.start, p.end, p.members, p.admissions, p.exits, p.netChange]),
      },
      chart: {
        kind: 'line',
        title: `Members at the end of each ${interval}, ${from} – ${to}`,
        unit: 'members',
        points: points.map((p) => ({ label: p.period, value: p.members })),
      },
    };
  }

  private perDay(
    column: 'admitted_at' | 'ended_at',
    start: string,
    end: string,
  ): Promise<{ day: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM "reporting"."member_spans" WHERE ${column} >= $1 AND ${column} < $2 GROUP BY 1`,
      [start, end],
    );
  }

  async composition(
    by: Dimension,
    asOf: string,
    level: SectorLevel = 'section',
  ): Promise<ReportView<CompositionReport>> {
    const t = utc(nextDay(asOf));
    const params: unknown[] = [t];
    let grouped: string;
    if (by === 'sector' || by === 'focusArea') {
      const value = by === 'sector' ? `left(v, $2)` : 'v';
      if (by === 'sector') params.push(SECTOR_LEVEL_LENGTH[level]);
      const array = by === 'sector' ? 'sector_codes' : 'focus_areas';
      grouped = `SELECT value, count(*)::int AS members FROM (
                   SELECT DISTINCT m.member_id, ${value} AS value
                   FROM "reporting"."member_intervals" m, unnest(m.${array}) AS v WHERE ${VALID_AT('$1')}
                 ) x GROUP BY value`;
    } else {
      grouped = `SELECT m.${DIMENSION_COLUMN[by]} AS value, count(*)::int AS members
                 FROM "reporting"."member_intervals" m WHERE ${VALID_AT('$1')} GROUP BY 1`;
    }
    const [groups, [{ n: members }]] = await Promise.all([
      this.dataSource.query(grouped, params) as Promise<{ value: string; members: number }[]>,
      this.dataSource.query(`SELECT count(*)::int AS n FROM "reporting"."member_intervals" m WHERE ${VALID_AT('$1')}`, [
        t,
      ]),
    ]);
    const rows: CompositionGroup[] = groups
      .map((g) => ({ ...g, share: ratio(g.members, members) ?? 0 }))
      .sort((x, y) => y.members - x.members || VALUE_ORDER.compare(x.value, y.value));
    const label = by === 'sector' ? `sector (NACE ${level})` : by;
    return {
      name: `composition-${by}-${asOf}`,
      json: { asOf, by, ...(by === 'sector' ? { level } : {}), members, groups: rows },
      table: { columns: [by, 'members', 'share'], rows: rows.map((g) => [g.value, g.members, g.share]) },
      chart: {
        kind: 'bar',
        title: `Members by ${label} on ${asOf} (${members} members)`,
        unit: 'members',
        points: rows.map((g) => ({ label: g.value, value: g.members })),
      },
    };
  }

  /**
   * The applications submitted between from and to, as they stood at the end of `to` (or now,
   * if that is still to come): decisions taken later count as still open.
   */
  async funnel(from: string, to: string): Promise<ReportView<FunnelReport>> {
    const end = utc(nextDay(to));
    const [row] = await this.dataSource.query(
      `WITH cohort AS (
         SELECT application_id, submitted_at,
                CASE WHEN decided_at < $3 THEN outcome END AS outcome,
                CASE WHEN decided_at < $3 THEN extract(epoch FROM decided_at - submitted_at) / 86400 END AS days
         FROM "reporting"."application_facts" WHERE submitted_at >= $1 AND submitted_at < $2
       )
       SELECT count(*)::int AS submitted,
              count(*) FILTER (WHERE outcome = 'admitted')::int AS admitted,
              count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE outcome = 'withdrawn')::int AS withdrawn,
              count(*) FILTER (WHERE outcome IS NULL)::int AS open,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90,
              (array_agg(application_id ORDER BY submitted_at, application_id) FILTER (WHERE outcome IS NULL))[1] AS oldest_id,
              min(submitted_at) FILTER (WHERE outcome IS NULL) AS oldest_at,
              LEAST($3::timestamptz, now()) AS as_of
       FROM cohort`,
      [utc(from), end, end],
    );
    const oldestOpen = row.oldest_id
      ? {
          applicationId: row.oldest_id as string,
          submittedAt: (row.oldest_at as Date).toISOString(),
          ageDays: round(((row.as_of as Date).getTime() - (row.oldest_at as Date).getTime()) / 86_400_000, 2),
        }
      : null;
    const days = (v: number | null) => (v === null ? null : round(Number(v), 2));
    const json: FunnelReport = {
      from,
      to,
      submitted: row.submitted,
      admitted: row.admitted,
      rejected: row.rejected,
      withdrawn: row.withdrawn,
      open: row.open,
      conversionRate: ratio(row.admitted, row.submitted),
      daysToDecision: { median: days(row.median), p90: days(row.p90) },
      oldestOpen,
    };
    const stages: [string, number][] = [
      ['submitted', json.submitted],
      ['admitted', json.admitted],
      ['rejected', json.rejected],
      ['withdrawn', json.withdrawn],
      ['open', json.open],
    ];
    return {
      name: `funnel-${from}-${to}`,
      json,
      table: {
        columns: ['stage', 'applications', 'share_of_submitted'],
        rows: stages.map(([stage, n]) => [stage, n, ratio(n, json.submitted)]),
      },
      chart: {
        kind: 'bar',
        title: `Applications submitted ${from} – ${to}: median ${json.daysToDecision.median ?? '–'} days to decision`,
        unit: 'applications',
        points: stages.map(([label, value]) => ({ label, value })),
      },
    };
  }

  async notifications(from: string, to: string): Promise<ReportView<NotificationsReport>> {
    const [sums, bounces]: [
      { template: string; language: string; sent: number; failed: number }[],
      { template: string | null; language: string | null; n: number }[],
    ] = await Promise.all([
      this.dataSource.query(
        `SELECT template, language, sum(sent)::int AS sent, sum(failed)::int AS failed
         FROM "reporting"."notification_days" WHERE day BETWEEN $1 AND $2
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [from, to],
      ),
      this.dataSource.query(
        `SELECT o.template, o.language, count(*)::int AS n
         FROM "reporting"."notification_bounces" b
         LEFT JOIN "reporting"."notification_outcomes" o ON o.delivery_id = b.delivery_id
         WHERE b.occurred_at >= $1 AND b.occurred_at < $2 GROUP BY 1, 2`,
        [utc(from), utc(nextDay(to))],
      ),
    ]);
    const byKey = new Map<string, NotificationRow>(
      sums.map((r) => [
        `${r.template}\u0000${r.language}`,
        { ...r, failureRate: ratio(r.failed, r.sent + r.failed), bounced: 0 },
      ]),
    );
    let bounced = 0;
    for (const b of bounces) {
      bounced += b.n;
      if (b.template === null || b.language === null) continue;
      const key = `${b.template}\u0000${b.language}`;
      const row = byKey.get(key) ?? {
        template: b.template,
        language: b.language,
        sent: 0,
        failed: 0,
        failureRate: null,
        bounced: 0,
      };
      row.bounced += b.n;
      byKey.set(key, row);
    }
    const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const rows = [...byKey.values()].sort(
      (a, b) => byCodePoint(a.template, b.template) || byCodePoint(a.language, b.language),
    );
    const sent = rows.reduce((s, r) => s + r.sent, 0);
    const failed = rows.reduce((s, r) => s + r.failed, 0);
    return {
      name: `notifications-${from}-${to}`,
      json: { from, to, sent, failed, failureRate: ratio(failed, sent + failed), bounced, rows },
      table: {
        columns: ['template', 'language', 'sent', 'failed', 'failure_rate', 'bounced'],
        rows: rows.map((r) => [r.template, r.language, r.sent, r.failed, r.failureRate, r.bounced]),
      },
      chart: {
        kind: 'bar',
        title: `Failed emails (%) per template and language, ${from} – ${to}`,
        unit: '% failed',
        points: rows.map((r) => ({
          label: `${r.template} (${r.language})`,
          value: round((r.failureRate ?? 0) * 100, 2),
        })),
      },
    };
  }
}
