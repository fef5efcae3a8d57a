import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { deadLetterTopic, Topics, TypedEvent } from '@valley/contracts';
import { loadConfig } from '@valley/platform';
import {
  coordinatorToken,
  emptyServiceSchema,
  startTestApp,
  testServiceEnv,
  tokenWithRoles,
} from '@valley/platform/testing';
import { eventually, KafkaTestClient, reportEvents, uniqueTopicPrefix } from '@valley/testing';
import { parse } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ReportingAppModule } from '../app.module';
import { REPORTING_CONSUMER } from '../facts';
import { rebuildReporting } from '../rebuild/rebuild';
import { ReportingConfig } from '../reporting.config';

const {
  applicationRejected,
  applicationSubmitted,
  applicationWithdrawn,
  memberAdmitted,
  memberProfileUpdated,
  memberReinstated,
  memberSuspended,
  membershipEnded,
  notificationBounced,
  notificationOutcome,
} = reportEvents;

/**
 * A small history whose every report figure is worked out by hand below, published to the
 * real Kafka and consumed by the real reporting app into the real Postgres.
 *
 *   C  founding member, admitted 2024-01-01 09:00, sector M72.1, Kauno, LV, association, micro
 *   A  applied 01-10 10:00, admitted 01-20 10:00 (10 days); sectors C26.1 + C28, Kauno;
 *      on 03-15 12:00 moves to sector J62.01 and Vilniaus
 *   B  applied 01-05, admitted 02-04 (30 days); sector C25, Vilniaus; suspended 02-20,
 *      reinstated 03-01, left 04-10 09:00
 *   D  applied 02-01, rejected 02-21 (20 days)
 *   E  applied 02-15, withdrew 02-20 12:00 (5.5 days)
 *   F  applied 03-01, still open
 *   G  applied 04-05, admitted 04-06
 */
const ids = {
  a: 'a0000000-0000-4000-8000-000000000001',
  b: 'b0000000-0000-4000-8000-000000000002',
  c: 'c0000000-0000-4000-8000-000000000003',
  d: 'd0000000-0000-4000-8000-000000000004',
  e: 'e0000000-0000-4000-8000-000000000005',
  f: 'f0000000-0000-4000-8000-000000000006',
  g: '90000000-0000-4000-8000-000000000007',
};
const app = (k: keyof typeof ids) => ids[k].replace(/^./, '1');

const lifecycle: TypedEvent[] = [
  memberAdmitted(ids.c, '2024-01-01T09:00:00.000Z', {
    sectorCodes: ['M72.1'],
    region: 'Kauno apskritis',
    country: 'LV',
    organisationType: 'association',
    sizeClass: 'micro',
    focusAreas: ['cooperation'],
  }),
  applicationSubmitted(ids.b, '2024-01-05T00:00:00.000Z', {}, app('b')),
  applicationSubmitted(ids.a, '2024-01-10T10:00:00.000Z', {}, app('a')),
  memberAdmitted(
    ids.a,
    '2024-01-20T10:00:00.000Z',
    {
      sectorCodes: ['C26.1', 'C28'],
      region: 'Kauno apskritis',
      focusAreas: ['innovation_technologies', 'cooperation'],
    },
    app('a'),
  ),
  applicationSubmitted(ids.d, '2024-02-01T00:00:00.000Z', {}, app('d')),
  memberAdmitted(
    ids.b,
    '2024-02-04T00:00:00.000Z',
    {
      sectorCodes: ['C25'],
      region: 'Vilniaus apskritis',
      organisationType: 'science_academic',
      sizeClass: 'medium',
      focusAreas: ['training_skills'],
    },
    app('b'),
  ),
  memberProfileUpdated(ids.c, '2024-02-10T08:00:00.000Z', { website: 'https://c.example.lv' }),
  applicationSubmitted(ids.e, '2024-02-15T00:00:00.000Z', {}, app('e')),
  memberSuspended(ids.b, '2024-02-20T08:00:00.000Z'),
  applicationWithdrawn(ids.e, app('e'), '2024-02-20T12:00:00.000Z'),
  applicationRejected(ids.d, app('d'), '2024-02-21T00:00:00.000Z'),
  applicationSubmitted(ids.f, '2024-03-01T00:00:00.000Z', {}, app('f')),
  memberReinstated(ids.b, '2024-03-01T08:00:00.000Z'),
  memberProfileUpdated(ids.a, '2024-03-15T12:00:00.000Z', {
    sectorCodes: ['J62.01'],
    region: 'Vilniaus apskritis',
  }),
  applicationSubmitted(ids.g, '2024-04-05T00:00:00.000Z', {}, app('g')),
  memberAdmitted(ids.g, '2024-04-06T00:00:00.000Z', { region: 'Šiaulių apskritis' }, app('g')),
  membershipEnded(ids.b, '2024-04-10T09:00:00.000Z'),
];

const firstWelcome = '70000000-0000-4000-8000-000000000001';
const deliveries: TypedEvent[] = [
  notificationOutcome('sent', '2024-01-20T10:01:00.000Z', 'member-welcome', 'en', firstWelcome),
  notificationOutcome('sent', '2024-02-01T00:01:00.000Z', 'application-received', 'lt'),
  notificationOutcome('sent', '2024-02-04T00:01:00.000Z', 'member-welcome', 'lt'),
  notificationOutcome('failed', '2024-02-05T00:01:00.000Z', 'member-welcome', 'lt'),
  notificationOutcome('sent', '2024-02-15T00:01:00.000Z', 'application-received', 'lt'),
  notificationOutcome('failed', '2024-03-01T00:01:00.000Z', 'application-received', 'lt'),
  // the same delivery announced again (its sender re-sent it after a crash): counted once
  notificationOutcome('sent', '2024-01-20T10:05:00.000Z', 'member-welcome', 'en', firstWelcome),
  // the first welcome bounced a day later (a bounce report), and a second report about it came back: one bounce
  notificationBounced('2024-01-21T08:00:00.000Z', firstWelcome),
  notificationBounced('2024-01-21T09:00:00.000Z', firstWelcome),
  // a bounce report naming no message of ours: counted in the total only; and one in March, outside February's range
  notificationBounced('2024-02-10T00:00:00.000Z', null),
  notificationBounced('2024-03-02T00:00:00.000Z', null, 'smtp'),
];

describe('reporting: reports from a hand-computed history (real Kafka and Postgres)', () => {
  const prefix = uniqueTopicPrefix();
  const kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  let reporting: INestApplication;
  let db: DataSource;
  const all = [...lifecycle, ...deliveries];

  const produce = (event: TypedEvent) =>
    kafka.produce(event.type.startsWith('Notification') ? Topics.NotificationDeliveries : Topics.MembershipLifecycle, [
      { key: event.aggregateId, value: JSON.stringify(event) },
    ]);

  const inboxCount = async () => {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM "reporting"."inbox_messages" WHERE consumer = $1`, [
      REPORTING_CONSUMER,
    ]);
    return n as number;
  };

  const get = (path: string, token = coordinatorToken()) =>
    request(reporting.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  /** Every fact table, ordered, for before/after comparisons. */
  const facts = async () => ({
    spans: await db.query(`SELECT * FROM "reporting"."member_spans" ORDER BY member_id, seq`),
    intervals: await db.query(`SELECT * FROM "reporting"."member_intervals" ORDER BY member_id, seq`),
    applications: await db.query(`SELECT * FROM "reporting"."application_facts" ORDER BY application_id`),
    outcomes: await db.query(`SELECT * FROM "reporting"."notification_outcomes" ORDER BY delivery_id`),
    days: await db.query(`SELECT * FROM "reporting"."notification_days" ORDER BY day, template, language`),
  });

  const reportPaths = [
    '/reports/growth?from=2024-01-01&to=2024-04-30&interval=month',
    '/reports/growth?from=2024-01-01&to=2024-04-30&interval=week',
    '/reports/composition?by=sector&asOf=2024-03-14',
    '/reports/composition?by=region&asOf=2024-04-09',
    '/reports/funnel?from=2024-01-01&to=2024-03-31',
    '/reports/notifications?from=2024-01-01&to=2024-03-31',
    '/reports/member-count?asOf=2024-04-10',
  ];
  const allReports = async () => Promise.all(reportPaths.map(async (p) => (await get(p).expect(200)).body));

  beforeAll(async () => {
    reporting = await startTestApp({
      service: 'reporting',
      configClass: ReportingConfig,
      module: (config) => ReportingAppModule.forRoot(config),
      topicPrefix: prefix,
    });
    db = reporting.get<DataSource>(getDataSourceToken());
    // The numbers below are hand-computed for this history alone: start from an empty read model.
    await emptyServiceSchema(db, 'reporting');
    for (const event of all) await produce(event);
    await eventually(async () => expect(await inboxCount()).toBe(all.length), 60_000);
  }, 90_000);

  afterAll(async () => {
    await reporting?.close();
    await kafka.close();
  });

  describe('member count and growth', () => {
    it.each([
      ['2023-12-31', 0],
      ['2024-01-01', 1],
      // B and G are admitted at midnight (UTC): the day before does not count them yet, the day itself does
      ['2024-02-03', 2],
      ['2024-02-04', 3],
      ['2024-02-25', 3], // B suspended: still a member
      ['2024-04-05', 3],
      ['2024-04-06', 4],
      ['2024-04-09', 4],
      ['2024-04-10', 3],
    ])('member-count on %s is %i', async (asOf, members) => {
      expect((await get(`/reports/member-count?asOf=${asOf}`).expect(200)).body).toEqual({ asOf, members });
    });

    it('counts members, admissions and exits per month', async () => {
      const { body } = await get('/reports/growth?from=2024-01-01&to=2024-04-30&interval=month').expect(200);
      expect(body).toMatchObject({ from: '2024-01-01', to: '2024-04-30', interval: 'month', startMembers: 0 });
      expect(body.points).toEqual([
        {
          period: '2024-01',
          start: '2024-01-01',
          end: '2024-01-31',
          members: 2,
          admissions: 2,
          exits: 0,
          netChange: 2,
        },
        {
          period: '2024-02',
          start: '2024-02-01',
          end: '2024-02-29',
          members: 3,
          admissions: 1,
          exits: 0,
          netChange: 1,
        },
        {
          period: '2024-03',
          start: '2024-03-01',
          end: '2024-03-31',
          members: 3,
          admissions: 0,
          exits: 0,
          netChange: 0,
        },
        {
          period: '2024-04',
          start: '2024-04-01',
          end: '2024-04-30',
          members: 3,
          admissions: 1,
          exits: 1,
          netChange: 0,
        },
      ]);
    });

    it('starts from the members already there, per day', async () => {
      const { body } = await get('/reports/growth?from=2024-01-19&to=2024-01-21&interval=day').expect(200);
      expect(body.startMembers).toBe(1);
      expect(body.points.map((p: { members: number; admissions: number }) => [p.members, p.admissions])).toEqual([
        [1, 0],
        [2, 1],
        [2, 0],
      ]);
    });
  });

  describe('composition on a date', () => {
    const groups = async (query: string) => {
      const { body } = await get(`/reports/composition?${query}`).expect(200);
      return {
        members: body.members,
        groups: body.groups.map((g: { value: string; members: number }) => [g.value, g.members]),
      };
    };

    it('by sector section, before and after a member changes sector, and after a member leaves', async () => {
      expect(await groups('by=sector&asOf=2024-03-14')).toEqual({
        members: 3,
        groups: [
          ['C', 2],
          ['M', 1],
        ],
      });
      expect(await groups('by=sector&asOf=2024-03-15')).toEqual({
        members: 3,
        groups: [
          ['C', 1],
          ['J', 1],
          ['M', 1],
        ],
      });
      expect(await groups('by=sector&asOf=2024-04-10')).toEqual({
        members: 3,
        groups: [
          ['C', 1],
          ['J', 1],
          ['M', 1],
        ], // B (C25) left, G (C28.4) joined
      });
      expect(await groups('by=sector&asOf=2024-04-05')).toEqual({
        members: 3,
        groups: [
          ['C', 1],
          ['J', 1],
          ['M', 1],
        ],
      });
    });

    it('by a finer NACE level on request', async () => {
      const { body } = await get('/reports/composition?by=sector&level=division&asOf=2024-03-14').expect(200);
      expect(body.level).toBe('division');
      expect(body.groups.map((g: { value: string }) => g.value).sort()).toEqual(['C25', 'C26', 'C28', 'M72']);
    });

    it('by region, country, organisation type, size class and focus area', async () => {
      expect(await groups('by=region&asOf=2024-03-14')).toEqual({
        members: 3,
        groups: [
          ['Kauno apskritis', 2],
          ['Vilniaus apskritis', 1],
        ],
      });
      expect(await groups('by=region&asOf=2024-04-10')).toEqual({
        members: 3,
        groups: [
          ['Kauno apskritis', 1],
          ['Šiaulių apskritis', 1],
          ['Vilniaus apskritis', 1],
        ],
      });
      expect(await groups('by=country&asOf=2024-03-14')).toEqual({
        members: 3,
        groups: [
          ['LT', 2],
          ['LV', 1],
        ],
      });
      expect(await groups('by=organisationType&asOf=2024-03-14')).toEqual({
        members: 3,
        groups: [
          ['association', 1],
          ['business', 1],
          ['science_academic', 1],
        ],
      });
      expect(await groups('by=sizeClass&asOf=2024-01-31')).toEqual({
        members: 2,
        groups: [
          ['micro', 1],
          ['small', 1],
        ],
      });
      expect(await groups('by=focusArea&asOf=2024-03-14')).toEqual({
        members: 3,
        groups: [
          ['cooperation', 2],
          ['innovation_technologies', 1],
          ['training_skills', 1],
        ],
      });
    });

    it('counts a suspended member as a member, on every day of its suspension', async () => {
      // B (C25, science_academic) is suspended from 02-20 08:00 until 03-01 08:00
      for (const asOf of ['2024-02-20', '2024-02-25', '2024-02-29', '2024-03-01']) {
        expect(await groups(`by=sector&asOf=${asOf}`)).toEqual({
          members: 3,
          groups: [
            ['C', 2],
            ['M', 1],
          ],
        });
        expect(await groups(`by=organisationType&asOf=${asOf}`)).toEqual({
          members: 3,
          groups: [
            ['association', 1],
            ['business', 1],
            ['science_academic', 1],
          ],
        });
      }
    });

    it('is empty before anyone joined', async () => {
      expect(await groups('by=sector&asOf=2023-06-30')).toEqual({ members: 0, groups: [] });
    });
  });

  describe('funnel', () => {
    it('counts outcomes, conversion and time to decision of the applications submitted in the range', async () => {
      const { body } = await get('/reports/funnel?from=2024-01-01&to=2024-02-29').expect(200);
      // decisions after 10, 30, 20 and 5.5 days: median (10 + 20) / 2, p90 20 + 0.7 × 10
      expect(body).toEqual({
        from: '2024-01-01',
        to: '2024-02-29',
        submitted: 4,
        admitted: 2,
        rejected: 1,
        withdrawn: 1,
        open: 0,
        conversionRate: 0.5,
        daysToDecision: { median: 15, p90: 27 },
        oldestOpen: null,
      });
    });

    it('as it stood at the end of `to`: later decisions are still open', async () => {
      const { body } = await get('/reports/funnel?from=2024-01-01&to=2024-02-19').expect(200);
      expect(body).toMatchObject({ submitted: 4, admitted: 2, rejected: 0, withdrawn: 0, open: 2 });
      expect(body.daysToDecision).toEqual({ median: 20, p90: 28 });
      expect(body.oldestOpen).toEqual({
        applicationId: app('d'),
        submittedAt: '2024-02-01T00:00:00.000Z',
        ageDays: 19,
      });
    });

    it('with only an open application', async () => {
      const { body } = await get('/reports/funnel?from=2024-03-01&to=2024-03-31').expect(200);
      expect(body).toMatchObject({
        submitted: 1,
        open: 1,
        conversionRate: 0,
        daysToDecision: { median: null, p90: null },
      });
      expect(body.oldestOpen).toMatchObject({ applicationId: app('f'), ageDays: 31 });
    });
  });

  describe('notifications', () => {
    it('counts sent, failed and bounced per template and language, each delivery once', async () => {
      const { body } = await get('/reports/notifications?from=2024-01-01&to=2024-02-29').expect(200);
      expect(body).toEqual({
        from: '2024-01-01',
        to: '2024-02-29',
        sent: 4,
        failed: 1,
        failureRate: 0.2,
        bounced: 2,
        rows: [
          { template: 'application-received', language: 'lt', sent: 2, failed: 0, failureRate: 0, bounced: 0 },
          { template: 'member-welcome', language: 'en', sent: 1, failed: 0, failureRate: 0, bounced: 1 },
          { template: 'member-welcome', language: 'lt', sent: 1, failed: 1, failureRate: 0.5, bounced: 0 },
        ],
      });
      expect((await get('/reports/notifications?from=2024-01-22&to=2024-03-31').expect(200)).body.bounced).toBe(2);
    });
  });

  describe('roster on a date', () => {
    const roster = async (asOf: string) => (await get(`/reports/roster?asOf=${asOf}`).expect(200)).body;
    const brief = (body: { entries: Record<string, unknown>[] }) =>
      body.entries.map((e) => [e.memberId, e.status, e.region, (e.sectorCodes as string[]).join(' '), e.admittedOn]);

    it('lists every member as it was at the end of that day, oldest admission first', async () => {
      const body = await roster('2024-03-14');
      expect(body).toMatchObject({ asOf: '2024-03-14', members: 3 });
      expect(body.entries[0]).toEqual({
        memberId: ids.c,
        membershipType: 'founding',
        status: 'active',
        organisationType: 'association',
        sizeClass: 'micro',
        country: 'LV',
        region: 'Kauno apskritis',
        sectorCodes: ['M72.1'],
        focusAreas: ['cooperation'],
        admittedOn: '2024-01-01',
      });
      expect(brief(body)).toEqual([
        [ids.c, 'active', 'Kauno apskritis', 'M72.1', '2024-01-01'],
        [ids.a, 'active', 'Kauno apskritis', 'C26.1 C28', '2024-01-20'],
        [ids.b, 'active', 'Vilniaus apskritis', 'C25', '2024-02-04'],
      ]);
    });

    it('applies no profile change made after that day', async () => {
      // A moved to J62.01 and Vilniaus on 03-15 at noon: not yet on the 14th's roster (above), on the 15th's.
      expect(brief(await roster('2024-03-15'))[1]).toEqual([
        ids.a,
        'active',
        'Vilniaus apskritis',
        'J62.01',
        '2024-01-20',
      ]);
    });

    it('shows a suspension on the days it lasted, and leaves out who had left or not yet joined', async () => {
      expect(brief(await roster('2024-02-25'))[2]).toEqual([
        ids.b,
        'suspended',
        'Vilniaus apskritis',
        'C25',
        '2024-02-04',
      ]);
      // B left on 04-10; G joined on 04-06.
      expect(brief(await roster('2024-04-10')).map(([id]) => id)).toEqual([ids.c, ids.a, ids.g]);
      expect(await roster('2023-12-31')).toEqual({ asOf: '2023-12-31', members: 0, entries: [] });
    });

    it('as CSV, one row per member', async () => {
      const response = await get('/reports/roster?asOf=2024-04-10&format=csv').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(response.text, { bom: true }) as string[][];
      expect(rows[0]).toEqual([
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
      ]);
      expect(rows.slice(1).map((r) => [r[0], r[6], r[7], r[9]])).toEqual([
        [ids.c, 'Kauno apskritis', 'M72.1', '2024-01-01'],
        [ids.a, 'Vilniaus apskritis', 'J62.01', '2024-01-20'],
        [ids.g, 'Šiaulių apskritis', 'C28.4', '2024-04-06'],
      ]);
    });

    it('refuses a chart, a bad day, and anyone but a coordinator', async () => {
      const refused = async (path: string) =>
        (await get(path).expect(400)).body.fields.map((f: { field: string }) => f.field);
      expect(await refused('/reports/roster?format=svg')).toEqual(['format']);
      expect(await refused('/reports/roster?asOf=2024-02-30')).toEqual(['asOf']);
      await get('/reports/roster', tokenWithRoles(['member'])).expect(403);
    });
  });

  describe('retention by admission cohort', () => {
    const retention = async (query: string) => (await get(`/reports/retention?${query}`).expect(200)).body;

    it('counts a membership for "after n years" once n years have passed, and keeps it if it still ran then', async () => {
      // 2025-03-01: C (2024-01-01), A (01-20) and B (02-04) are a year old, G (04-06) is not; B left on 2024-04-10.
      expect(await retention('cohort=year&asOf=2025-03-01')).toEqual({
        asOf: '2025-03-01',
        cohort: 'year',
        cohorts: [
          {
            cohort: '2024',
            admitted: 4,
            membersNow: 3,
            after: [{ years: 1, eligible: 3, retained: 2, share: 0.6667 }],
          },
        ],
      });
    });

    it('by quarter, a step per full year reached, none for a cohort not yet a year old', async () => {
      expect((await retention('cohort=quarter&asOf=2025-03-01')).cohorts).toEqual([
        {
          cohort: '2024-Q1',
          admitted: 3,
          membersNow: 2,
          after: [{ years: 1, eligible: 3, retained: 2, share: 0.6667 }],
        },
        { cohort: '2024-Q2', admitted: 1, membersNow: 1, after: [] },
      ]);
      expect((await retention('cohort=quarter&asOf=2026-06-30')).cohorts).toEqual([
        {
          cohort: '2024-Q1',
          admitted: 3,
          membersNow: 2,
          after: [
            { years: 1, eligible: 3, retained: 2, share: 0.6667 },
            { years: 2, eligible: 3, retained: 2, share: 0.6667 },
          ],
        },
        {
          cohort: '2024-Q2',
          admitted: 1,
          membersNow: 1,
          after: [
            { years: 1, eligible: 1, retained: 1, share: 1 },
            { years: 2, eligible: 1, retained: 1, share: 1 },
          ],
        },
      ]);
    });

    it('counts a year as reached at the end of its anniversary day', async () => {
      // 2025-01-20 is A's first anniversary (at the end of the day it is a year old); C's was 01-01.
      const before = (await retention('asOf=2025-01-19')).cohorts[0].after;
      const on = (await retention('asOf=2025-01-20')).cohorts[0].after;
      expect(before).toEqual([{ years: 1, eligible: 1, retained: 1, share: 1 }]);
      expect(on).toEqual([{ years: 1, eligible: 2, retained: 2, share: 1 }]);
      expect(await retention('asOf=2023-12-31')).toEqual({ asOf: '2023-12-31', cohort: 'year', cohorts: [] });
    });

    it('as CSV (a share column per year) and as a chart (a line per cohort, from 100 % at admission)', async () => {
      const csv = await get('/reports/retention?cohort=quarter&asOf=2025-03-01&format=csv').expect(200);
      expect(csv.headers['content-disposition']).toMatch(/filename="retention-quarter-2025-03-01\.csv"/);
      expect(parse(csv.text, { bom: true })).toEqual([
        ['cohort', 'admitted', 'members_now', 'after_1_year'],
        ['2024-Q1', '3', '2', '0.6667'],
        ['2024-Q2', '1', '1', ''],
      ]);
      const svg = await get('/reports/retention?cohort=quarter&asOf=2025-03-01&format=svg').expect(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
        svg.text || svg.body.toString(),
        true,
      );
      const titles = (doc.svg.circle as { title: string }[]).map((c) => c.title);
      expect(titles).toEqual(['2024-Q1, 0: 100', '2024-Q1, 1: 66.7', '2024-Q2, 0: 100']);
    });

    it('refuses an unknown cohort, a bad day, and anyone but a coordinator', async () => {
      const refused = async (path: string) =>
        (await get(path).expect(400)).body.fields.map((f: { field: string }) => f.field);
      expect(await refused('/reports/retention?cohort=month')).toEqual(['cohort']);
      expect(await refused('/reports/retention?asOf=2025-02-29')).toEqual(['asOf']);
      await get('/reports/retention', tokenWithRoles(['member'])).expect(403);
    });
  });

  describe('CSV and SVG', () => {
    const svgMarks = (svg: string, element: string) => {
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg, true);
      const found = doc.svg[element] ?? [];
      return (Array.isArray(found) ? found : [found]).filter((e: { class?: string }) => e.class === 'mark').length;
    };

    it('growth as CSV: a header and one row per interval', async () => {
      const res = await get('/reports/growth?from=2024-01-01&to=2024-04-30&interval=month&format=csv').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /attachment; filename="growth-2024-01-01-2024-04-30-month\.csv"/,
      );
      expect(res.text.startsWith('\uFEFF')).toBe(true);
      const rows: string[][] = parse(res.text, { bom: true });
      expect(rows).toEqual([
        ['period', 'start', 'end', 'members', 'admissions', 'exits', 'net_change'],
        ['2024-01', '2024-01-01', '2024-01-31', '2', '2', '0', '2'],
        ['2024-02', '2024-02-01', '2024-02-29', '3', '1', '0', '1'],
        ['2024-03', '2024-03-01', '2024-03-31', '3', '0', '0', '0'],
        ['2024-04', '2024-04-01', '2024-04-30', '3', '1', '1', '0'],
      ]);
    });

    it('composition, funnel and notifications as CSV', async () => {
      const csv = async (path: string) => parse((await get(path).expect(200)).text, { bom: true }) as string[][];
      expect(await csv('/reports/composition?by=region&asOf=2024-04-10&format=csv')).toEqual([
        ['region', 'members', 'share'],
        ['Kauno apskritis', '1', '0.3333'],
        ['Šiaulių apskritis', '1', '0.3333'],
        ['Vilniaus apskritis', '1', '0.3333'],
      ]);
      expect(await csv('/reports/funnel?from=2024-01-01&to=2024-02-29&format=csv')).toEqual([
        ['stage', 'applications', 'share_of_submitted'],
        ['submitted', '4', '1'],
        ['admitted', '2', '0.5'],
        ['rejected', '1', '0.25'],
        ['withdrawn', '1', '0.25'],
        ['open', '0', '0'],
      ]);
      expect(await csv('/reports/notifications?from=2024-01-01&to=2024-02-29&format=csv')).toEqual([
        ['template', 'language', 'sent', 'failed', 'failure_rate', 'bounced'],
        ['application-received', 'lt', '2', '0', '0', '0'],
        ['member-welcome', 'en', '1', '0', '0', '1'],
        ['member-welcome', 'lt', '1', '1', '0.5', '0'],
      ]);
    });

    it('growth as an SVG line chart with one point per interval', async () => {
      const res = await get('/reports/growth?from=2024-01-01&to=2024-04-30&interval=week&format=svg').expect(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = res.text || res.body.toString();
      expect(svgMarks(svg, 'circle')).toBe(18); // ISO weeks 2024-W01 .. 2024-W18
      expect(svgMarks(svg, 'rect')).toBe(0);
    });

    it('composition, funnel and notifications as SVG bar charts with one bar per data point', async () => {
      const svg = async (path: string) => {
        const res = await get(path).expect(200);
        return res.text || res.body.toString();
      };
      expect(
        svgMarks(await svg('/reports/composition?by=sector&level=division&asOf=2024-03-14&format=svg'), 'rect'),
      ).toBe(4);
      expect(svgMarks(await svg('/reports/funnel?from=2024-01-01&to=2024-02-29&format=svg'), 'rect')).toBe(5);
      expect(svgMarks(await svg('/reports/notifications?from=2024-01-01&to=2024-03-31&format=svg'), 'rect')).toBe(3);
    });
  });

  describe('bad requests', () => {
    it.each([
      ['/reports/growth?from=&to=2024-01-31&interval=month', ['from']],
      ['/reports/growth?from=2024-01-01&to=2024-01-31', ['interval']],
      ['/reports/growth?from=2024-02-01&to=2024-01-31&interval=month', ['from']],
      ['/reports/growth?from=2024-02-30&to=2024-03-31&interval=day', ['from']],
      ['/reports/growth?from=2024-01-01&to=tomorrow&interval=year', ['to', 'interval']],
      ['/reports/growth?from=1900-01-01&to=2024-01-31&interval=day', ['interval']],
      ['/reports/composition?by=color&asOf=2024-01-01', ['by']],
      ['/reports/composition?by=sector&asOf=', ['asOf']],
      ['/reports/composition?by=region&level=division&asOf=2024-01-01', ['level']],
      ['/reports/composition?by=sector&level=subclass&asOf=2024-01-01', ['level']],
      ['/reports/funnel?from=2024-03-01&to=2024-01-01', ['from']],
      ['/reports/funnel?from=&to=', ['from', 'to']],
      ['/reports/notifications?from=2024-01-01&to=2024-01-31&format=xlsx', ['format']],
      ['/reports/notifications?from=2024-01-01&to=2024-01-31&limit=5', ['limit']],
    ])('%s → 400 naming %j', async (path, fields) => {
      const { body } = await get(path).expect(400);
      expect(body.fields.map((f: { field: string }) => f.field).sort()).toEqual([...fields].sort());
    });

    it('wants a coordinator', async () => {
      await request(reporting.getHttpServer()).get('/reports/funnel?from=2024-01-01&to=2024-01-31').expect(401);
      await get('/reports/funnel?from=2024-01-01&to=2024-01-31', tokenWithRoles(['member'])).expect(403);
    });
  });

  it('changes nothing when the same events are delivered again', async () => {
    const before = { facts: await facts(), reports: await allReports() };
    const last = new Map<string, { topic: string; partition: number; offset: string }>();
    for (const event of all) {
      const topic = event.type.startsWith('Notification') ? Topics.NotificationDeliveries : Topics.MembershipLifecycle;
      const [sent] = await produce(event);
      last.set(`${topic}:${sent.partition}`, { topic, partition: sent.partition, offset: sent.baseOffset });
    }
    for (const { topic, partition, offset } of last.values()) {
      await kafka.waitForGroupPast(REPORTING_CONSUMER, topic, partition, offset, 60_000);
    }
    expect(await inboxCount()).toBe(all.length);
    expect({ facts: await facts(), reports: await allReports() }).toEqual(before);
    // Skipped, not failed: a redelivery that failed would leave the same facts, and be on the
    // dead-letter topic by the time the group is past it.
    const eventIds = all.map((e) => e.eventId);
    const letters = await kafka.readAll(deadLetterTopic('reporting'), 0);
    expect(letters.filter((m) => eventIds.some((id) => m.value?.includes(id)))).toEqual([]);
  }, 90_000);

  it('a rebuild from the history ends with the same facts and answers as live processing', async () => {
    const live = { facts: await facts(), reports: await allReports() };
    await db.query(`UPDATE "reporting"."member_spans" SET ended_at = now()`); // damage, so the rebuild must redo it
    const config = loadConfig(ReportingConfig, testServiceEnv('reporting', prefix));
    const result = await rebuildReporting(config);
    expect(result.events).toBe(all.length * 2); // the history holds the redelivered copies too
    expect({ facts: await facts(), reports: await allReports() }).toEqual(live);
    expect(await inboxCount()).toBe(all.length);
  }, 90_000);
});
