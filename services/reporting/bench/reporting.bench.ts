import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@valley/contracts';
import { KafkajsTransport } from '@valley/messaging';
import { createLogger, loadConfig, serviceDataSourceOptions } from '@valley/platform';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { reportingDatabase } from '../src/database/reporting-database';
import { rebuildReporting } from '../src/rebuild/rebuild';
import { ReportingConfig } from '../src/reporting.config';
import { ReportsService } from '../src/reports/reports.service';
import { GeneratedEvent, generateHistory } from './history-generator';

/**
 * `npm run bench:reporting`: generates a five-year history (BENCH_EVENTS, default 1,000,000),
 * publishes it to Kafka under a throw-away topic prefix and into a raw event table, rebuilds
 * the reporting read model from Kafka (events/s), then times every report against the read
 * model and the same question asked naively of the raw event table, side by side, and checks
 * that both give the same answers. Prints the figures; asserts nothing about time.
 *
 *   BENCH_EVENTS          events to generate (1000000)
 *   BENCH_DATABASE_URL    a database of its own, whose name says bench (DEV ONLY default below);
 *                         its `reporting` and `bench_raw` schemas are dropped and recreated
 *   KAFKA_BROKERS         (127.0.0.1:9092); the bench's topics are deleted at the end
 *   BENCH_RUNS            timed runs per report (20)
 */

/** DEV ONLY: the local server, a database of the bench's own. */
const DEV_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/valley_bench_reporting';
/** DEV ONLY: commands do not check tokens; the shared config class wants a secret. */
const DEV_BENCH_JWT_SECRET = 'bench-only-jwt-secret-0123456789';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? DEV_BENCH_DATABASE_URL;
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const PREFIX = `bench-${randomUUID().slice(0, 8)}.`;

const log = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (since: number) => (Date.now() - since) / 1000;
const fmt = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const dbName = new URL(DATABASE_URL).pathname.slice(1);
  if (!dbName.includes('bench')) throw new Error(`BENCH_DATABASE_URL must name a bench database, not "${dbName}"`);
  log(`reporting benchmark: ${fmt(EVENTS)} events, database ${dbName}, Kafka ${BROKERS}, topic prefix ${PREFIX}`);
  log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l: number) => l.toFixed(1))
      .join(' ')}`,
  );

  let started = Date.now();
  const history = generateHistory(EVENTS);
  const mix = new Map<string, number>();
  for (const e of history) mix.set(e.type, (mix.get(e.type) ?? 0) + 1);
  log(`generated in ${seconds(started).toFixed(1)} s: ${[...mix].map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}`);

  await prepareDatabase(dbName);
  const dataSource = await new DataSource({
    ...serviceDataSourceOptions({ url: DATABASE_URL, schema: 'reporting', ...reportingDatabase }),
  }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });

  const logger = createLogger('reporting-bench', 'warn');
  const transport = new KafkajsTransport({
    clientId: 'valley-reporting-bench',
    brokers: BROKERS.split(','),
    topicPrefix: PREFIX,
    logger,
  });
  try {
    await transport.ensureTopics(Object.values(Topics).map((topic) => ({ topic, partitions: 6 })));
    started = Date.now();
    await Promise.all([publish(transport, history), loadRawTable(dataSource, history)]);
    log(`published to Kafka and loaded the raw event table in ${seconds(started).toFixed(1)} s`);
    history.length = 0;
    await dataSource.query('VACUUM ANALYZE bench_raw.events');

    const config = loadConfig(ReportingConfig, {
      DATABASE_URL,
      KAFKA_BROKERS: BROKERS,
      KAFKA_TOPIC_PREFIX: PREFIX,
      AUTH_JWT_SECRET: DEV_BENCH_JWT_SECRET,
      LOG_LEVEL: 'warn',
    });
    const rebuild = await rebuildReporting(config, { progressBar: process.stderr.isTTY });
    log(
      `rebuild: ${fmt(rebuild.events)} events in ${rebuild.seconds.toFixed(1)} s = ` +
        `${fmt(Math.round(rebuild.eventsPerSecond))} events/s (target ≥ 10,000)`,
    );
    await dataSource.query(
      'VACUUM ANALYZE reporting.member_spans, reporting.member_intervals, reporting.application_facts, reporting.notification_days',
    );
    const sizes = await dataSource.query(
      `SELECT relname AS table, n_live_tup::int AS rows FROM pg_stat_user_tables WHERE schemaname = 'reporting' ORDER BY relname`,
    );
    log(`read model: ${sizes.map((s: { table: string; rows: number }) => `${s.table} ${fmt(s.rows)}`).join(', ')}`);

    await timeReports(new ReportsService(dataSource), dataSource);
  } finally {
    await transport.close();
    await dataSource.destroy();
    await deleteTopics();
  }
}

async function prepareDatabase(dbName: string): Promise<void> {
  const server = new URL(DATABASE_URL);
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${dbName}"`);
  } finally {
    await admin.end();
  }
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await db.query('DROP SCHEMA IF EXISTS reporting CASCADE');
    await db.query('DROP SCHEMA IF EXISTS bench_raw CASCADE');
    await db.query('CREATE SCHEMA reporting');
    await db.query('CREATE SCHEMA bench_raw');
    // The naive alternative: every event as it came, indexed by type and time.
    await db.query(`CREATE TABLE bench_raw.events (
      event_id uuid PRIMARY KEY, type text NOT NULL, occurred_at timestamptz NOT NULL,
      aggregate_id uuid NOT NULL, payload jsonb NOT NULL)`);
  } finally {
    await db.end();
  }
}

async function publish(transport: KafkajsTransport, history: GeneratedEvent[]): Promise<void> {
  const producer = await transport.createProducer();
  try {
    for (let i = 0; i < history.length; i += 5_000) {
      await producer.send(
        history.slice(i, i + 5_000).map((e) => ({
          topic: e.type.startsWith('Notification') ? Topics.NotificationDeliveries : Topics.MembershipLifecycle,
          key: e.aggregateId,
          value: e.json,
        })),
      );
    }
  } finally {
    await producer.disconnect();
  }
}

async function loadRawTable(dataSource: DataSource, history: GeneratedEvent[]): Promise<void> {
  for (let i = 0; i < history.length; i += 5_000) {
    const chunk = history.slice(i, i + 5_000).map((e) => JSON.parse(e.json));
    await dataSource.query(
      `INSERT INTO bench_raw.events SELECT e.event_id, e.type, e.occurred_at, e.aggregate_id, e.payload
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::uuid[], $5::jsonb[])
         AS e(event_id, type, occurred_at, aggregate_id, payload)`,
      [
        chunk.map((e) => e.eventId),
        chunk.map((e) => e.type),
        chunk.map((e) => e.occurredAt),
        chunk.map((e) => e.aggregateId),
        chunk.map((e) => JSON.stringify(e.payload)),
      ],
    );
  }
  await dataSource.query('CREATE INDEX ON bench_raw.events (type, occurred_at)');
}

async function deleteTopics(): Promise<void> {
  // Tooling only: our transport has no topic deletion, and a bench must not leave 1 GB behind.
  const admin = new Kafka({
    clientId: 'valley-reporting-bench-cleanup',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

interface Timed {
  median: number;
  p95: number;
}

async function time(runs: number, question: () => Promise<unknown>): Promise<Timed> {
  await question(); // warm up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await question();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return {
    median: ms[Math.floor((ms.length - 1) / 2)],
    p95: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)],
  };
}

/** The same question asked of the raw event table, as someone without a read model would. */
const NAIVE = {
  memberCount: `SELECT (SELECT count(*) FROM bench_raw.events WHERE type = 'MemberAdmitted' AND occurred_at < $1)
                     - (SELECT count(*) FROM bench_raw.events WHERE type = 'MembershipEnded' AND occurred_at < $1) AS n`,
  growth: `SELECT to_char(p, 'YYYY-MM') AS period,
             (SELECT count(*) FROM bench_raw.events WHERE type = 'MemberAdmitted' AND occurred_at < p + interval '1 month')
           - (SELECT count(*) FROM bench_raw.events WHERE type = 'MembershipEnded' AND occurred_at < p + interval '1 month')
             AS members
           FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 month') AS p ORDER BY p`,
  composition: `WITH ev AS (
                  SELECT aggregate_id, type, occurred_at, payload FROM bench_raw.events
                  WHERE occurred_at < $1 AND type IN ('MemberAdmitted', 'MemberProfileUpdated', 'MembershipEnded')
                ), current AS (
                  SELECT DISTINCT ON (aggregate_id) aggregate_id, type FROM ev
                  WHERE type <> 'MemberProfileUpdated' ORDER BY aggregate_id, occurred_at DESC
                ), sectors AS (
                  SELECT DISTINCT ON (aggregate_id) aggregate_id,
                         coalesce(payload->'changes'->'sectorCodes', payload->'sectorCodes') AS codes
                  FROM ev WHERE type = 'MemberAdmitted' OR payload->'changes' ? 'sectorCodes'
                  ORDER BY aggregate_id, occurred_at DESC
                )
                SELECT left(code, 1) AS value, count(DISTINCT s.aggregate_id)::int AS members
                FROM current c JOIN sectors s USING (aggregate_id), jsonb_array_elements_text(s.codes) AS code
                WHERE c.type = 'MemberAdmitted' GROUP BY 1 ORDER BY 1`,
  funnel: `WITH sub AS (
             SELECT payload->>'applicationId' AS id, occurred_at FROM bench_raw.events
             WHERE type = 'ApplicationSubmitted' AND occurred_at >= $1 AND occurred_at < $2
           ), dec AS (
             SELECT DISTINCT ON (payload->>'applicationId') payload->>'applicationId' AS id, type, occurred_at
             FROM bench_raw.events
             WHERE type IN ('MemberAdmitted', 'ApplicationRejected', 'ApplicationWithdrawn')
               AND payload->>'applicationId' IS NOT NULL AND occurred_at < $2
             ORDER BY payload->>'applicationId', occurred_at
           )
           SELECT count(*)::int AS submitted,
                  count(*) FILTER (WHERE d.type = 'MemberAdmitted')::int AS admitted,
                  count(*) FILTER (WHERE d.type = 'ApplicationRejected')::int AS rejected,
                  count(*) FILTER (WHERE d.type = 'ApplicationWithdrawn')::int AS withdrawn,
                  count(*) FILTER (WHERE d.type IS NULL)::int AS open,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - s.occurred_at) / 86400) AS median
           FROM sub s LEFT JOIN dec d USING (id)`,
  retention: `WITH ev AS (
               SELECT aggregate_id, type, occurred_at AT TIME ZONE 'UTC' AS at FROM bench_raw.events
               WHERE type IN ('MemberAdmitted', 'MembershipEnded') AND occurred_at < $1
             ), spans AS (
               SELECT type, at AS admitted, lead(at) OVER (PARTITION BY aggregate_id ORDER BY at) AS ended FROM ev
             ), asof AS (SELECT $1::timestamptz AT TIME ZONE 'UTC' AS t)
             SELECT to_char(admitted, 'YYYY') AS cohort, count(*)::int AS admitted,
                    count(*) FILTER (WHERE admitted + interval '1 year' <= t)::int AS eligible,
                    count(*) FILTER (WHERE admitted + interval '1 year' <= t
                                       AND (ended IS NULL OR ended >= admitted + interval '1 year'))::int AS retained
             FROM spans, asof WHERE type = 'MemberAdmitted' GROUP BY 1 ORDER BY 1`,
  notifications: `SELECT payload->>'template' AS template, payload->>'language' AS language,
                         count(DISTINCT payload->>'deliveryId') FILTER (WHERE type = 'NotificationSent')::int AS sent,
                         count(DISTINCT payload->>'deliveryId') FILTER (WHERE type = 'NotificationFailed')::int AS failed
                  FROM bench_raw.events
                  WHERE type IN ('NotificationSent', 'NotificationFailed') AND occurred_at >= $1 AND occurred_at < $2
                  GROUP BY 1, 2 ORDER BY 1, 2`,
};

async function timeReports(reports: ReportsService, db: DataSource): Promise<void> {
  const rows: string[][] = [];
  const compare = async (
    name: string,
    readModel: () => Promise<unknown>,
    naive: (() => Promise<unknown>) | null,
    same: ((a: unknown, b: unknown) => boolean) | null,
  ) => {
    const fast = await time(RUNS, readModel);
    let slow: Timed | null = null;
    let match = '–';
    if (naive) {
      slow = await time(3, naive);
      if (same) match = same(await readModel(), await naive()) ? 'yes' : 'NO';
    }
    rows.push([
      name,
      fast.median.toFixed(1),
      fast.p95.toFixed(1),
      slow ? slow.median.toFixed(0) : '–',
      slow ? `${Math.round(slow.median / fast.median)}×` : '–',
      match,
    ]);
    log(
      `  ${name}: ${fast.median.toFixed(1)} ms (p95 ${fast.p95.toFixed(1)})${slow ? `, naive ${slow.median.toFixed(0)} ms` : ''}, same answer: ${match}`,
    );
  };
  const asJson = <T>(p: Promise<{ json: T }>) => p.then((v) => JSON.stringify(v.json));
  log(`\nreports: median and 95th percentile of ${RUNS} runs (query + JSON), naive: median of 3 runs`);

  await compare(
    'member-count asOf=2023-06-30',
    () => reports.memberCount('2023-06-30'),
    async () => Number((await db.query(NAIVE.memberCount, ['2023-07-01T00:00:00Z']))[0].n),
    (a, b) => a === b,
  );
  await compare(
    'growth 2021-01-01..2025-12-31 month',
    () => asJson(reports.growth('2021-01-01', '2025-12-31', 'month')),
    () => db.query(NAIVE.growth, ['2021-01-01T00:00:00Z', '2025-12-01T00:00:00Z']),
    (a, b) => {
      const ours = JSON.parse(a as string).points.map(
        (p: { period: string; members: number }) => `${p.period}:${p.members}`,
      );
      const theirs = (b as { period: string; members: string }[]).map((p) => `${p.period}:${Number(p.members)}`);
      return JSON.stringify(ours) === JSON.stringify(theirs);
    },
  );
  await compare(
    'growth 2021-01-01..2025-12-31 week',
    () => asJson(reports.growth('2021-01-01', '2025-12-31', 'week')),
    null,
    null,
  );
  await compare(
    'growth 2021-01-01..2025-12-31 day',
    () => asJson(reports.growth('2021-01-01', '2025-12-31', 'day')),
    null,
    null,
  );
  await compare(
    'composition by=sector asOf=2023-06-30',
    () => asJson(reports.composition('sector', '2023-06-30')),
    () => db.query(NAIVE.composition, ['2023-07-01T00:00:00Z']),
    (a, b) => {
      const ours = JSON.parse(a as string)
        .groups.map((g: { value: string; members: number }) => `${g.value}:${g.members}`)
        .sort();
      const theirs = (b as { value: string; members: number }[]).map((g) => `${g.value}:${g.members}`).sort();
      return JSON.stringify(ours) === JSON.stringify(theirs);
    },
  );
  await compare(
    'composition by=sector level=class asOf=2025-12-31',
    () => asJson(reports.composition('sector', '2025-12-31', 'class')),
    null,
    null,
  );
  await compare(
    'composition by=region asOf=2025-12-31',
    () => asJson(reports.composition('region', '2025-12-31')),
    null,
    null,
  );
  await compare(
    'composition by=focusArea asOf=2022-01-31',
    () => asJson(reports.composition('focusArea', '2022-01-31')),
    null,
    null,
  );
  await compare(
    'funnel 2021-01-01..2025-12-31',
    () => asJson(reports.funnel('2021-01-01', '2025-12-31')),
    () => db.query(NAIVE.funnel, ['2021-01-01T00:00:00Z', '2026-01-01T00:00:00Z']),
    (a, b) => {
      const ours = JSON.parse(a as string);
      const [theirs] = b as Record<string, number>[];
      return ['submitted', 'admitted', 'rejected', 'withdrawn', 'open'].every((k) => ours[k] === theirs[k]);
    },
  );
  await compare(
    'retention cohort=year asOf=2025-12-31',
    () => asJson(reports.retention('year', '2025-12-31')),
    () => db.query(NAIVE.retention, ['2026-01-01T00:00:00Z']),
    (a, b) => {
      type Cohort = { cohort: string; admitted: number; after: { eligible: number; retained: number }[] };
      const ours = (JSON.parse(a as string).cohorts as Cohort[]).map(
        (c) => `${c.cohort}:${c.admitted}/${c.after[0]?.eligible ?? 0}/${c.after[0]?.retained ?? 0}`,
      );
      const theirs = (b as Record<string, unknown>[]).map(
        (r) => `${r.cohort}:${r.admitted}/${r.eligible}/${r.retained}`,
      );
      return JSON.stringify(ours) === JSON.stringify(theirs);
    },
  );
  await compare(
    'retention cohort=quarter asOf=2025-12-31',
    () => asJson(reports.retention('quarter', '2025-12-31')),
    null,
    null,
  );
  await compare('funnel 2024-01-01..2024-12-31', () => asJson(reports.funnel('2024-01-01', '2024-12-31')), null, null);
  await compare(
    'notifications 2021-01-01..2025-12-31',
    () => asJson(reports.notifications('2021-01-01', '2025-12-31')),
    () => db.query(NAIVE.notifications, ['2021-01-01T00:00:00Z', '2026-01-01T00:00:00Z']),
    (a, b) => {
      const ours = JSON.parse(a as string).rows.map(
        (r: Record<string, unknown>) => `${r.template}/${r.language}:${r.sent}/${r.failed}`,
      );
      const theirs = (b as Record<string, unknown>[]).map((r) => `${r.template}/${r.language}:${r.sent}/${r.failed}`);
      return JSON.stringify(ours) === JSON.stringify(theirs);
    },
  );
  await compare(
    'notifications 2025-03-01..2025-03-31',
    () => asJson(reports.notifications('2025-03-01', '2025-03-31')),
    null,
    null,
  );

  log('\n| report | read model median (ms) | p95 (ms) | naive median (ms) | speed-up | same answer |');
  log('| --- | ---: | ---: | ---: | ---: | :---: |');
  for (const r of rows) log(`| ${r.join(' | ')} |`);
}

// A million events want more heap than Node's default: run again with room, once.
if (!process.env.VALLEY_BENCH_CHILD) {
  const child = spawnSync(
    process.execPath,
    ['--max-old-space-size=6144', '-r', join(__dirname, '..', '..', '..', 'scripts', 'register.js'), __filename],
    { stdio: 'inherit', env: { ...process.env, VALLEY_BENCH_CHILD: '1' } },
  );
  process.exitCode = child.status ?? 1;
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`reporting bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
