/**
 * npm run bench:latency: how long an admission takes to reach each read model, hop by hop, next to
 * what Kafka itself takes on the same broker.
 *
 * Builds the four services and starts them as the image runs them (dist/; LATENCY_SOURCES=1 runs
 * the TypeScript sources, as `npm start` does) with the fault tier's harness (test/faults/harness:
 * its own Kafka broker, a database of its own, an SMTP server, the four services as OS processes), then:
 * 1. Kafka's own produce → consume with plain kafkajs, at each rate (kafka-baseline.ts), and the
 *    path's floor: the same admissions through the same round trips with bare clients in two
 *    processes, once statement by statement as the services send them and once each transaction
 *    as one query (floor.ts), timed as the system is;
 * 2. at LATENCY_RATES admissions a second (20,200), LATENCY_COUNT_<rate> admissions of applications
 *    submitted beforehand and handled everywhere before the clock starts (their acknowledgements
 *    sent: the system is otherwise quiet), each timed from its admit request until (a) the directory's
 *    GET /members/:id answers 200 (polled every 5 ms), (b) the SMTP server accepted its welcome,
 *    (c) reporting's member-count is up by its turn (polled every 5 ms); and the hops from the
 *    services' own histograms (/metrics, quantiles as Prometheus's histogram_quantile computes them);
 * 3. the outbox relay's throughput against raw kafkajs batch sends (relay-throughput.ts), once beside
 *    the idle services and once with them stopped (the broker and database stay): the targets hold the second.
 * Prints every figure with its target; exit code 1 if a target is missed (LATENCY_STRICT=0: 0).
 */
import { ServiceName, ServiceNames } from '@valley/contracts';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AdmissionLedger, Applied, awaitConvergence } from '../../../test/faults/harness/admissions';
import { faultsDatabaseUrl, ValleySystem } from '../../../test/faults/harness/valley-system';
import { REPO_ROOT } from '../../infra/kafka';
import { pathFloor } from './floor';
import { kafkaProduceConsume } from './kafka-baseline';
import { ListingWatch } from './listing-watch';
import { delta, Histograms, histogramSpread, scrape } from './metrics-scrape';
import { processCpuSeconds } from './process-cpu';
import { relayThroughput, RelayThroughput } from './relay-throughput';
import { PollClient } from './poll-client';
import { ms, spread, Spread } from './samples';
import { freePort } from '@valley/testing';

const RATES = (process.env.LATENCY_RATES ?? '20,200').split(',').map(Number);
const countAt = (rate: number) => Number(process.env[`LATENCY_COUNT_${rate}`] || (rate >= 100 ? 1_000 : 200));
const RELAY_EVENTS = Number(process.env.LATENCY_RELAY_EVENTS || 100_000);
const PROFILED = (process.env.LATENCY_PROFILE ?? '').split(',').filter(Boolean);
/** LATENCY_SOURCES=1: the services from their TypeScript sources (as `npm start`), not built (as deployed). */
const FROM_SOURCES = process.env.LATENCY_SOURCES === '1';
const POLL_MS = 5;
const POLL_CONNECTIONS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Timed {
  applied: Applied;
  sentAt: number;
  sentWallMs: number;
  answeredAt: number;
  status: number;
  listedAt: number | null;
}

interface Targets {
  p50ListedMs?: number;
  p99ListedMs: number;
  p99VsKafka: number | null;
  p99MailMs: number;
  p99ReportingMs: number;
}

const TARGETS = (rate: number): Targets =>
  rate >= 100
    ? { p99ListedMs: 150, p99VsKafka: null, p99MailMs: 1_000, p99ReportingMs: 100 }
    : { p50ListedMs: 15, p99ListedMs: 50, p99VsKafka: 5, p99MailMs: 1_000, p99ReportingMs: 100 };

async function admit(system: ValleySystem, applied: Applied): Promise<{ status: number }> {
  const response = await fetch(system.service('membership').url(`/applications/${applied.applicationId}/admit`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${system.coordinatorToken}` },
    body: '{}',
    signal: AbortSignal.timeout(15_000),
  }).catch(() => null);
  if (!response) return { status: 0 };
  await response.arrayBuffer();
  return { status: response.status };
}

/**
 * Reporting's member count, polled every 5 ms while an admission sent waits for its count (not
 * in between: the polls would be most of reporting's work): the first moment each count was seen.
 */
class MemberCountWatch {
  readonly firstSeen = new Map<number, number>();
  private running = true;
  private loop: Promise<void> | null = null;
  private expected = 0;
  private seen = 0;

  /** One more admission was sent: the count it makes is awaited. */
  expectOneMore(): void {
    this.expected++;
  }

  private readonly client = new PollClient(1);

  constructor(private readonly system: ValleySystem) {}

  async current(): Promise<number> {
    const response = await this.client.get(this.system.service('reporting').url('/reports/member-count'), {
      authorization: `Bearer ${this.system.coordinatorToken}`,
    });
    if (response?.status !== 200) throw new Error(`GET /reports/member-count: ${response?.status ?? 'no answer'}`);
    return (JSON.parse(response.body) as { members: number }).members;
  }

  private base = 0;

  start(base: number): void {
    this.base = base;
    this.loop = (async () => {
      while (this.running) {
        if (this.seen < this.expected) {
          const count = await this.current().catch(() => null);
          if (count !== null) {
            const now = performance.now();
            for (let c = count; c >= 0 && !this.firstSeen.has(c); c--) this.firstSeen.set(c, now);
            this.seen = Math.max(this.seen, count - this.base);
          }
        }
        await sleep(POLL_MS);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.client.close();
  }
}

/**
 * Until every service has handled the submissions: each applicant's acknowledgement accepted by
 * the SMTP server, and then no new message for QUIET_MS (the coordinator's notices come after).
 * The timed admissions then run on an otherwise quiet system, as the targets are stated, and not
 * behind the emails of applications submitted a moment before.
 */
async function awaitQuiet(system: ValleySystem, applied: Applied[], timeoutMs = 120_000): Promise<void> {
  const QUIET_MS = 1_500;
  const deadline = performance.now() + timeoutMs;
  const waiting = new Set(applied.map((a) => a.email));
  let seen = 0;
  let stableSince = performance.now();
  while (performance.now() < deadline) {
    const messages = system.smtp.messages;
    for (let i = seen; i < messages.length; i++) for (const to of messages[i].to) waiting.delete(to);
    if (messages.length !== seen) stableSince = performance.now();
    seen = messages.length;
    if (waiting.size === 0 && performance.now() - stableSince >= QUIET_MS) return;
    await sleep(100);
  }
  throw new Error(
    `the system did not settle within ${timeoutMs / 1000} s: ${waiting.size} acknowledgements not received`,
  );
}

/** CPU seconds (user + system) of every Postgres process (the server this machine runs for every test). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/stat`, 'utf8').includes('(postgres)')) continue;
    } catch {
      continue; // gone meanwhile
    }
    // With the exited children: the postmaster holds the backends that have exited (a connection
    // closed while admitting would otherwise take its CPU out of the sum).
    total += processCpuSeconds(Number(pid), { children: true });
  }
  return total;
}

/** CPU seconds (user + system) each process has used so far: the services, the broker, this script. */
function cpuSeconds(system: ValleySystem): Record<string, number> {
  const brokerPid = Number(readFileSync(join(system.broker.dataDir, 'kafka.pid'), 'utf8').trim() || 0);
  const usage = process.cpuUsage();
  return {
    ...Object.fromEntries(ServiceNames.map((service) => [service, processCpuSeconds(system.service(service).pid)])),
    kafka: processCpuSeconds(brokerPid),
    postgres: postgresCpuSeconds(),
    'this script': (usage.user + usage.system) / 1e6,
  };
}

async function scrapeAll(system: ValleySystem, metricsPorts: Record<ServiceName, number>) {
  const readings = {} as Record<ServiceName, Histograms>;
  for (const service of ServiceNames)
    readings[service] = await scrape(`http://127.0.0.1:${metricsPorts[service]}/metrics`);
  return readings;
}

/** The hops of the services' own histograms that moved between two scrapes, one line each. */
function hopLines(before: Record<ServiceName, Histograms>, after: Record<ServiceName, Histograms>): string[] {
  const hops: [string, string][] = [
    ['valley_outbox_publish_delay_seconds', 'commit → published (outbox)'],
    ['valley_consumer_receive_delay_seconds', 'published → received'],
    ['valley_consumer_apply_delay_seconds', 'received → committed'],
    ['valley_directory_visible_delay_seconds', 'committed → visible (directory index)'],
  ];
  const lines: string[] = [];
  for (const [metric, label] of hops) {
    let found = false;
    for (const service of ServiceNames) {
      for (const [key, reading] of after[service]) {
        if (!key.startsWith(`${metric}{`)) continue;
        const moved = delta(before[service].get(key), reading);
        if (moved.count === 0) continue;
        found = true;
        const labels = key.slice(metric.length + 1, -1) || service;
        lines.push(row(`${label} ${labels}`, histogramSpread(moved)));
      }
    }
    if (!found) lines.push(`  ${label.padEnd(64)} (no samples: ${metric} not exported)`);
  }
  return lines;
}

const row = (label: string, s: Spread) =>
  `  ${label.padEnd(64)} n=${String(s.count).padStart(5)}  p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}`;

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** How each floor (floor.ts) is named in the figures. */
const FLOOR_LABELS = { 'as-system': "bare clients, the system's statements", 'one-round-trip': 'bare, 1 query a tx' };

async function runRate(
  system: ValleySystem,
  adminUrl: string,
  ledger: AdmissionLedger,
  metricsPorts: Record<ServiceName, number>,
  rate: number,
  problems: string[],
): Promise<void> {
  const count = countAt(rate);
  process.stdout.write(`\n[latency] ${rate}/s: Kafka's own produce → consume (${count} messages)…\n`);
  const kafka = spread(await kafkaProduceConsume([system.broker.bootstrap], rate, count));
  const floors = [];
  for (const shape of ['as-system', 'one-round-trip'] as const) {
    process.stdout.write(`[latency] ${rate}/s: the floor, bare clients, ${shape} (${count} admissions)…\n`);
    const run = await pathFloor(
      adminUrl,
      [system.broker.bootstrap],
      rate,
      count,
      { pollMs: POLL_MS, pollConnections: POLL_CONNECTIONS },
      shape,
    );
    floors.push({ shape, run, listed: spread(run.listed.filter((at): at is number => at !== null)) });
  }

  process.stdout.write(`[latency] ${rate}/s: submitting ${count} applications beforehand (not timed)…\n`);
  const applied: Applied[] = [];
  const fault = `latency ${rate}`;
  while (applied.length < count) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, count - applied.length) }, () => ledger.apply(fault)),
    );
    for (const a of batch) if (!('outcome' in a)) applied.push(a);
  }
  process.stdout.write(`[latency] ${rate}/s: waiting until the submissions are handled everywhere (not timed)…\n`);
  await awaitQuiet(system, applied);

  const listings = new ListingWatch((id) => system.service('directory').url(`/members/${id}`), {
    pollMs: POLL_MS,
    connections: POLL_CONNECTIONS,
  });
  const watch = new MemberCountWatch(system);
  const baseCount = await watch.current();
  watch.start(baseCount);
  const before = await scrapeAll(system, metricsPorts);
  const cpuBefore = cpuSeconds(system);
  process.stdout.write(`[latency] ${rate}/s: admitting ${count} (${(count / rate).toFixed(0)} s)…\n`);
  const timed: Timed[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let cpuAfter: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const entry: Timed = {
      applied: applied[i],
      sentAt: performance.now(),
      sentWallMs: Date.now(),
      answeredAt: 0,
      status: 0,
      listedAt: null,
    };
    timed.push(entry);
    watch.expectOneMore();
    pending.push(
      (async () => {
        const listed = listings.listedAt(applied[i].organisationId);
        const { status } = await admit(system, applied[i]);
        entry.status = status;
        entry.answeredAt = performance.now();
        entry.listedAt = await listed;
      })(),
    );
  }
  const late = (performance.now() - start) / 1000 - count / rate;
  cpuAfter = cpuSeconds(system);
  const loadSeconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  const admittedCount = timed.filter((t) => t.status === 200 || t.status === 201).length;
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && (await watch.current().catch(() => 0)) < baseCount + admittedCount)
    await sleep(50);
  await awaitConvergence(system, ledger, [], { since: performance.now(), timeoutMs: 5_000, settleMs: 500 });
  await sleep(500);
  await watch.stop();
  await listings.stop();
  const after = await scrapeAll(system, metricsPorts);

  const answered = timed.filter((t) => t.status >= 200 && t.status < 300);
  if (answered.length !== count) {
    const statuses = new Map<number, number>();
    for (const t of timed)
      if (t.status < 200 || t.status >= 300) statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
    const list = [...statuses].map(([status, n]) => `${n}× ${status || 'no answer'}`).join(', ');
    problems.push(`${rate}/s: ${count - answered.length} admissions were not 2xx (${list})`);
  }
  const http = spread(answered.map((t) => t.answeredAt - t.sentAt));
  const listed = spread(answered.filter((t) => t.listedAt !== null).map((t) => t.listedAt! - t.sentAt));
  const notListed = answered.filter((t) => t.listedAt === null).length;
  if (notListed > 0) problems.push(`${rate}/s: ${notListed} admissions never listed within 20 s`);

  // The applicant's acknowledgement went to the same address before: the welcome is the first after the admit.
  const welcomeAt = (t: Timed) =>
    system.smtp.messages
      .filter((m) => m.to.includes(t.applied.email) && m.receivedAt.getTime() >= t.sentWallMs)
      .map((m) => m.receivedAt.getTime())
      .sort((a, b) => a - b)[0];
  const mails = answered.map((t) => ({ t, at: welcomeAt(t) })).filter((x) => x.at !== undefined);
  if (mails.length !== answered.length)
    problems.push(`${rate}/s: ${answered.length - mails.length} welcomes not received`);
  const mail = spread(mails.map((x) => x.at! - x.t.sentWallMs));

  // The k-th admission answered is the one that makes the count base + k.
  const byAnswer = [...answered].sort((a, b) => a.answeredAt - b.answeredAt);
  const counted = byAnswer
    .map((t, k) => ({ t, seen: watch.firstSeen.get(baseCount + k + 1) }))
    .filter((x) => x.seen !== undefined)
    .map((x) => Math.max(0, x.seen! - x.t.sentAt));
  const reporting = spread(counted);

  const targets = TARGETS(rate);
  const lines = [
    `Admissions at ${rate}/s (${count}, ${answered.length} answered 2xx${late > 0.5 ? `, the load ran ${late.toFixed(1)} s late` : ''}):`,
    row('Kafka: kafkajs produce → consume, same broker', kafka),
    ...floors.flatMap(({ shape, run, listed: floorListed }) => [
      row(`floor (${FLOOR_LABELS[shape]}): HTTP answer`, spread(run.http)),
      row(`floor (${FLOOR_LABELS[shape]}): listed`, floorListed) +
        `  CPU ${run.cpuPercent.admit.toFixed(0)} % + ${run.cpuPercent.listed.toFixed(0)} %`,
    ]),
    row('admit: HTTP answer', http),
    row('admit → listed in the directory (GET /members/:id 200)', listed),
    row('admit → welcome accepted by the SMTP server', mail),
    row("admit → reporting's member-count up by one", reporting),
    `  CPU while admitting (${loadSeconds.toFixed(1)} s, 2 cores): ` +
      Object.keys(cpuAfter)
        .map((name) => `${name} ${((100 * (cpuAfter[name] - cpuBefore[name])) / loadSeconds).toFixed(0)} %`)
        .join(', '),
    '  hops, from the services’ histograms:',
    ...hopLines(before, after),
    '  targets:',
  ];
  const check = (label: string, value: number, target: number) => {
    const ok = value <= target;
    lines.push(`  ${label.padEnd(64)} ${ms(value).padStart(9)} ≤ ${ms(target).padStart(9)}  ${verdict(ok)}`);
    if (!ok) problems.push(`${rate}/s: ${label} ${ms(value)} > ${ms(target)}`);
  };
  if (targets.p50ListedMs !== undefined) check('listed p50', listed.p50, targets.p50ListedMs);
  check('listed p99', listed.p99, targets.p99ListedMs);
  if (targets.p99VsKafka !== null) {
    check(
      `listed p99 ≤ ${targets.p99VsKafka} × Kafka p99 (${(listed.p99 / kafka.p99).toFixed(1)}×)`,
      listed.p99,
      targets.p99VsKafka * kafka.p99,
    );
  }
  check('welcome p99', mail.p99, targets.p99MailMs);
  check('member-count p99', reporting.p99, targets.p99ReportingMs);
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const metricsPorts = {} as Record<ServiceName, number>;
  for (const service of ServiceNames) metricsPorts[service] = await freePort();
  const adminUrl = new URL(faultsDatabaseUrl());
  adminUrl.pathname = '/valley_test_latency_bench';
  if (!FROM_SOURCES) {
    process.stdout.write(
      '[latency] building the four services as the image runs them (dist/; LATENCY_SOURCES=1 skips)…\n',
    );
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', `--projects=${ServiceNames.join(',')}`], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  process.stdout.write(
    `[latency] starting the system, ${FROM_SOURCES ? 'from sources' : 'built'} (own broker on 19192, database valley_test_latency_bench)…\n`,
  );
  const system = await ValleySystem.start({
    name: 'latency-bench',
    adminUrl: adminUrl.toString(),
    kafkaPort: 19192,
    kafkaControllerPort: 19193,
    kafkaDataDir: join(REPO_ROOT, '.data', 'kafka-latency-bench'),
    built: !FROM_SOURCES,
    // LATENCY_PROFILE=membership,directory: a V8 CPU profile of each, written when it stops.
    nodeArgs: Object.fromEntries(
      PROFILED.map((service) => [
        service,
        ['--cpu-prof', `--cpu-prof-dir=${join(REPO_ROOT, '.data', 'profiles', service)}`],
      ]),
    ),
    serviceEnv: Object.fromEntries(
      ServiceNames.map((service) => [
        service,
        {
          METRICS_PORT: String(metricsPorts[service]),
          ...(service === 'notifications' ? { MAIL_RATE_PER_SECOND: '1000' } : {}),
        },
      ]),
    ),
  });
  const ledger = new AdmissionLedger(system);
  const problems: string[] = [];
  try {
    await ledger.burst('warm-up', 20, { concurrency: 2 });
    await awaitConvergence(system, ledger, ledger.of('warm-up'), { since: performance.now() });
    for (const rate of RATES) await runRate(system, adminUrl.toString(), ledger, metricsPorts, rate, problems);

    process.env.VALLEY_TEST_DATABASE_URL = adminUrl.toString();
    process.stdout.write(`\n[latency] outbox relay: ${RELAY_EVENTS} events, beside the four services (idle)…\n`);
    const beside = await relayThroughput([system.broker.bootstrap], RELAY_EVENTS);
    // The relay is a component of each service: its throughput is measured with the machine to itself,
    // as raw kafkajs is (the idle services alone take a fifth of a core here, and both sides need the two).
    process.stdout.write(
      `[latency] outbox relay: ${RELAY_EVENTS} events, the four services stopped (the broker stays)…\n`,
    );
    await Promise.all(system.processes.map((service) => service.stop()));
    const alone = await relayThroughput([system.broker.bootstrap], RELAY_EVENTS);
    const ratio = alone.relayPerSecond / alone.rawPerSecond;
    const line = (relay: RelayThroughput) =>
      `relay ${relay.relayPerSecond.toFixed(0)} events/s, raw kafkajs sendBatch ${relay.rawPerSecond.toFixed(0)} events/s (${((relay.relayPerSecond / relay.rawPerSecond) * 100).toFixed(1)} %)`;
    process.stdout.write(
      [
        `Outbox relay, ${alone.events} events appended then published (batches of ${alone.batchSize}):`,
        `  beside the idle services: ${line(beside)}`,
        `  alone: ${line(alone)}`,
        `  alone: relay ≥ 20000 events/s: ${verdict(alone.relayPerSecond >= 20_000)}; relay/raw ≥ 50 %: ${verdict(ratio >= 0.5)}`,
      ].join('\n') + '\n',
    );
    if (alone.relayPerSecond < 20_000) problems.push(`relay ${alone.relayPerSecond.toFixed(0)} events/s < 20000`);
    if (ratio < 0.5) problems.push(`relay/raw ${(ratio * 100).toFixed(1)} % < 50 %`);
  } finally {
    await system.stop();
  }
  const [one, five] = loadavg();
  process.stdout.write(
    `\n[latency] done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min), 2 cores\n`,
  );
  if (problems.length > 0) {
    process.stdout.write(`[latency] targets missed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    if (process.env.LATENCY_STRICT !== '0') process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(
      `[latency] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
