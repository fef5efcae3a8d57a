import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Topics } from '@valley/contracts';
import { coordinatorToken, startTestApp } from '@valley/platform/testing';
import { eventually, KafkaTestClient, reportEvents, uniqueTopicPrefix } from '@valley/testing';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ReportingAppModule } from '../app.module';
import { REPORTING_CONSUMER } from '../facts';
import { ReportingConfig } from '../reporting.config';
import { today, twelveMonthsEndingWith } from './dto/report-params';

const { memberAdmitted } = reportEvents;

/**
 * Report parameters with an obvious default get it (asOf = today, from/to = the twelve months
 * ending this month), and text applicants typed never reaches a spreadsheet as a formula.
 */
describe('reporting: parameter defaults and CSV cells (real Kafka and Postgres)', () => {
  const prefix = uniqueTopicPrefix();
  const kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  let reporting: INestApplication;

  const get = (path: string) =>
    request(reporting.getHttpServer()).get(path).set('Authorization', `Bearer ${coordinatorToken()}`);

  // A day no other suite's members were admitted on, so that the composition holds only these.
  const day = '2001-02-03';
  const formulaRegions = ['=1+2', '+SUM(A1:A9)', '-2+3', '@cmd', '\tTabbed'];

  beforeAll(async () => {
    reporting = await startTestApp({
      service: 'reporting',
      configClass: ReportingConfig,
      module: (config) => ReportingAppModule.forRoot(config),
      topicPrefix: prefix,
    });
    const events = formulaRegions.map((region) => memberAdmitted(randomUUID(), `${day}T10:00:00.000Z`, { region }));
    await kafka.produce(
      Topics.MembershipLifecycle,
      events.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) })),
    );
    const db = reporting.get<DataSource>(getDataSourceToken());
    await eventually(async () => {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM "reporting"."inbox_messages" WHERE consumer = $1 AND event_id = ANY($2::uuid[])`,
        [REPORTING_CONSUMER, events.map((e) => e.eventId)],
      );
      expect(n).toBe(events.length);
    }, 60_000);
  }, 90_000);

  afterAll(async () => {
    await reporting?.close();
    await kafka.close();
  });

  describe('defaults', () => {
    it('composition without asOf is as of today', async () => {
      const response = await get('/reports/composition?by=sector').expect(200);
      expect(response.body.asOf).toBe(today());
    });

    it('member-count without asOf is as of today', async () => {
      expect((await get('/reports/member-count').expect(200)).body.asOf).toBe(today());
    });

    it.each(['/reports/growth?interval=month', '/reports/funnel', '/reports/notifications'])(
      '%s without from and to covers the twelve months ending with this one',
      async (path) => {
        const response = await get(path).expect(200);
        expect(response.body).toMatchObject({ from: twelveMonthsEndingWith(today()), to: today() });
        if (path.includes('growth')) expect(response.body.points).toHaveLength(12);
      },
    );

    it('takes from as the twelve months ending with the to it is given, and to as today for a given from', async () => {
      expect((await get('/reports/funnel?to=2024-05-20').expect(200)).body).toMatchObject({
        from: '2023-06-01',
        to: '2024-05-20',
      });
      expect((await get('/reports/funnel?from=2024-05-20').expect(200)).body).toMatchObject({
        from: '2024-05-20',
        to: today(),
      });
    });

    it('still refuses a given value that is not a day, naming it', async () => {
      const response = await get('/reports/funnel?to=yesterday').expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['to']);
    });

    it('documents the defaults in OpenAPI', async () => {
      const doc = (await request(reporting.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
      const parameters = doc.paths['/reports/funnel'].get.parameters as {
        name: string;
        required: boolean;
        description: string;
      }[];
      const from = parameters.find((p) => p.name === 'from')!;
      expect(from.required).toBe(false);
      expect(from.description).toMatch(/Default: the first day of the twelve calendar months ending with `to`/);
      const asOf = (doc.paths['/reports/composition'].get.parameters as { name: string; required: boolean }[]).find(
        (p) => p.name === 'asOf',
      )!;
      expect(asOf.required).toBe(false);
    });
  });

  describe('CSV cells', () => {
    it('gives text that starts like a formula a leading quote, so that a spreadsheet shows it as typed', async () => {
      const rows: string[][] = parse(
        (await get(`/reports/composition?by=region&asOf=${day}&format=csv`).expect(200)).text,
        { bom: true },
      );

      expect(rows[0]).toEqual(['region', 'members', 'share']);
      expect(
        rows
          .slice(1)
          .map((row) => row[0])
          .sort(),
      ).toEqual(["'=1+2", "'+SUM(A1:A9)", "'-2+3", "'@cmd", "'\tTabbed"].sort());
      expect(rows.slice(1).every((row) => row[1] === '1' && row[2] === '0.2')).toBe(true);
    });

    it('keeps the JSON answer as typed', async () => {
      const groups = (await get(`/reports/composition?by=region&asOf=${day}`).expect(200)).body.groups as {
        value: string;
      }[];
      expect(groups.map((g) => g.value).sort()).toEqual([...formulaRegions].sort());
    });
  });
});
