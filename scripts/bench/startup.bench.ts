/**
 * `npm run bench:startup`: per application, from the built output (`node dist/services/<name>/main.js`,
 * as the image and the Kubernetes manifests run it), the time from spawn to ready (`/health` 200:
 * Postgres, Kafka and every consumer running) and the idle resident memory (VmRSS, after
 * STARTUP_BENCH_IDLE_SECONDS, default 5, with no traffic). Targets: ≤ 2 s and ≤ 150 MB each.
 *
 * The directory keeps its search index in memory, so its memory grows with the members it lists:
 * it is measured empty and again with STARTUP_BENCH_MEMBERS (default 20,000) generated members
 * (services/directory/bench/member-generator.ts, loaded through the directory's rebuild), and the
 * difference is given per 10,000 members.
 *
 * Needs the build (`npx nx run-many -t build`; the script runs it when dist/ lacks an app, or
 * always with STARTUP_BENCH_BUILD=1), the local Postgres and Kafka (as `npm start`). Uses its own
 * database (STARTUP_BENCH_DATABASE_URL, DEV ONLY default valley_bench_startup on the local server),
 * migrated by the built `dist/tools/ops/migrate.js`, and its own topic prefix, deleted at the end.
 * Runs with NODE_ENV=production, as the image does (generated secrets, an unreachable JWKS URL:
 * nothing here verifies a token). Each application starts alone (STARTUP_BENCH_RUNS times, default
 * 3, the median printed); the portal last, with the four services still up to answer its /health.
 */
import 'reflect-metadata';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ServiceName, ServiceNames, Topics, TypedEvent } from '@valley/contracts';
import { KafkajsTransport } from '@valley/messaging';
import { createLogger, loadConfig, serviceDatabaseUrl } from '@valley/platform';
import { Client } from 'pg';
import { MemberGenerator } from '../../services/directory/bench/member-generator';
import { DirectoryConfig } from '../../services/directory/src/directory.config';
import { rebuildDirectory } from '../../services/directory/src/rebuild/rebuild';
import { freePort } from '@valley/testing';

type App = ServiceName | 'portal';
const APPS: readonly App[] = [...ServiceNames, 'portal'];

const REPO_ROOT = join(__dirname, '..', '..');
/** Where dist/ and node_modules are: here, or e.g. a copy with production dependencies only (as the image). */
const APP_ROOT = process.env.STARTUP_BENCH_ROOT || REPO_ROOT;
const ADMIN_URL = process.env.STARTUP_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/valley_bench_startup'; // DEV ONLY
const BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const RUNS = Number(process.env.STARTUP_BENCH_RUNS || 3);
const IDLE_SECONDS = Number(process.env.STARTUP_BENCH_IDLE_SECONDS || 5);
const MEMBERS = Number(process.env.STARTUP_BENCH_MEMBERS || 20_000);
/** Only these applications (comma-separated; default all). */
const ONLY = (process.env.STARTUP_BENCH_APPS || APPS.join(',')).split(',') as App[];
const READY_TIMEOUT_MS = 60_000;
const TARGET_READY_S = 2;
const TARGET_RSS_MB = 150;
/** The image's NODE_OPTIONS (Dockerfile ENV), unless STARTUP_BENCH_NODE_OPTIONS says otherwise. */
const IMAGE_NODE_OPTIONS =
  process.env.STARTUP_BENCH_NODE_OPTIONS ??
  /NODE_OPTIONS=(\S+)/.exec(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'))?.[1] ??
  '';
const PREFIX = `bench-startup-${randomUUID().slice(0, 8)}.`;

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Secrets of this run only, as production requires them (never the DEV ONLY defaults). */
const SECRET = randomBytes(24).toString('hex');
const MEMBER_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

const ports: Partial<Record<App, number>> = {};

async function envOf(app: App): Promise<Record<string, string>> {
  const port = (ports[app] ??= await freePort());
  // NODE_ENV and NODE_OPTIONS as the image sets them (Dockerfile).
  const common = { NODE_ENV: 'production', NODE_OPTIONS: IMAGE_NODE_OPTIONS, PORT: String(port), LOG_LEVEL: 'warn' };
  if (app === 'portal') {
    const url = (name: ServiceName) => `http://127.0.0.1:${ports[name] ?? 9}`;
    return {
      ...common,
      MEMBERSHIP_URL: url('membership'),
      DIRECTORY_URL: url('directory'),
      NOTIFICATIONS_URL: url('notifications'),
      REPORTING_URL: url('reporting'),
      PORTAL_COOKIE_SECRET: SECRET,
      PORTAL_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OIDC_ISSUER_URL: 'http://127.0.0.1:9',
      OIDC_CLIENT_SECRET: SECRET,
    };
  }
  return {
    ...common,
    DATABASE_URL: serviceDatabaseUrl(ADMIN_URL, app),
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC_PREFIX: PREFIX,
    KAFKA_PARTITIONS: '3',
    METRICS_PORT: '0',
    AUTH_JWT_SECRET: SECRET,
    AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks', // never fetched: no request carries a token
    AUTH_ISSUER: 'https://identity.bench.invalid',
    AUTH_AUDIENCE: 'valley-services',
    AUTH_MEMBER_ISSUER: `http://127.0.0.1:${ports.membership ?? port}`,
    AUTH_MEMBER_JWKS_URL: `http://127.0.0.1:${ports.membership ?? port}/.well-known/jwks.json`,
    RATE_LIMITS: 'off',
    WORKERS: '1',
    ...(app === 'membership'
      ? { MEMBER_TOKEN_PRIVATE_KEY: MEMBER_KEY, MEMBER_TOKEN_ISSUER: `http://127.0.0.1:${port}` }
      : {}),
    ...(app === 'notifications'
      ? {
          SMTP_URL: 'smtp://127.0.0.1:9',
          UNSUBSCRIBE_SECRET: SECRET,
          NOTIFICATIONS_PUBLIC_URL: `http://127.0.0.1:${port}`,
        }
      : {}),
  };
}

/** CPU time a process used so far (user + system), seconds, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Resident memory of a process, MB (1 MB = 2^20 bytes), from /proc/<pid>/status. */
function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

async function answers(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

interface Started {
  app: App;
  process: ChildProcess;
  liveSeconds: number;
  readySeconds: number;
  /** CPU seconds the process had used when ready: its start time on an otherwise idle core. */
  cpuAtReady: number;
  stop: () => Promise<void>;
}

async function start(app: App): Promise<Started> {
  const env = { ...process.env, ...(await envOf(app)) };
  const base = `http://127.0.0.1:${env.PORT}`;
  let stderr = '';
  const started = performance.now();
  const child = spawn(process.execPath, [join('dist', 'services', app, 'main.js')], {
    cwd: APP_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let liveSeconds = NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - started > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`${app}: not ready after ${READY_TIMEOUT_MS / 1000} s: ${stderr}`);
    }
    if (Number.isNaN(liveSeconds) && (await answers(`${base}/health/live`)) === 200)
      liveSeconds = (performance.now() - started) / 1000;
    if (!Number.isNaN(liveSeconds) && (await answers(`${base}/health`)) === 200) break;
    await sleep(20);
  }
  const readySeconds = (performance.now() - started) / 1000;
  const cpuAtReady = cpuSeconds(child.pid!);
  return {
    app,
    process: child,
    liveSeconds,
    readySeconds,
    cpuAtReady,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Row {
  app: string;
  live: number;
  ready: number;
  cpu: number;
  rss: number;
}

/** RUNS starts of one application; the last one is left running when `keep` (the portal needs the services). */
async function measure(app: App, label: string = app, keep = false): Promise<{ row: Row; running?: Started }> {
  const live: number[] = [];
  const ready: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  let left: Started | undefined;
  for (let run = 0; run < RUNS; run++) {
    const started = await start(app);
    await sleep(IDLE_SECONDS * 1000);
    live.push(started.liveSeconds);
    ready.push(started.readySeconds);
    cpu.push(started.cpuAtReady);
    rss.push(rssMb(started.process.pid!));
    if (keep && run === RUNS - 1) left = started;
    else await started.stop();
  }
  const row = { app: label, live: median(live), ready: median(ready), cpu: median(cpu), rss: median(rss) };
  log(
    `  ${label}: ready ${ready.map((s) => s.toFixed(2)).join(' / ')} s (CPU ${cpu.map((s) => s.toFixed(2)).join(' / ')} s), ` +
      `idle RSS ${rss.map((m) => m.toFixed(0)).join(' / ')} MB`,
  );
  return { row, running: left };
}

function ensureBuilt(): void {
  const missing = [...APPS.map((app) => `dist/services/${app}/main.js`), 'dist/tools/ops/migrate.js'].filter(
    (path) => !existsSync(join(APP_ROOT, path)),
  );
  if (missing.length === 0 && process.env.STARTUP_BENCH_BUILD !== '1') return;
  if (APP_ROOT !== REPO_ROOT) throw new Error(`${APP_ROOT} lacks ${missing.join(', ')}`);
  log(`building (${missing.length > 0 ? `missing ${missing.join(', ')}` : 'STARTUP_BENCH_BUILD=1'})…`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--parallel=1'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Generated members in the directory's tables, through its rebuild (the live consumer's handler). */
async function loadMembers(members: number): Promise<void> {
  const prefix = `${PREFIX}members.`;
  const events: TypedEvent[] = new MemberGenerator().history(members);
  const transport = new KafkajsTransport({
    clientId: 'valley-startup-bench',
    brokers: BROKERS.split(','),
    topicPrefix: prefix,
    logger: createLogger('startup-bench', 'warn'),
  });
  try {
    await transport.ensureTopics([{ topic: Topics.MembershipLifecycle, partitions: 3 }]);
    const producer = await transport.createProducer();
    for (let i = 0; i < events.length; i += 2_000)
      await producer.send(
        events
          .slice(i, i + 2_000)
          .map((e) => ({ topic: Topics.MembershipLifecycle, key: e.aggregateId, value: JSON.stringify(e) })),
      );
    await producer.disconnect();
  } finally {
    await transport.close();
  }
  const env = await envOf('directory');
  await rebuildDirectory(loadConfig(DirectoryConfig, { ...env, KAFKA_TOPIC_PREFIX: prefix }));
}

async function listed(): Promise<number> {
  const db = new Client({ connectionString: ADMIN_URL });
  await db.connect();
  try {
    return Number((await db.query('SELECT count(*) AS n FROM directory.directory_entries')).rows[0].n);
  } finally {
    await db.end();
  }
}

async function emptyDirectory(): Promise<void> {
  const db = new Client({ connectionString: ADMIN_URL });
  await db.connect();
  try {
    await db.query('TRUNCATE directory.directory_entries');
  } finally {
    await db.end();
  }
}

async function deleteTopics(): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({
    clientId: 'valley-startup-bench',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  ensureBuilt();
  log(`migrating ${ADMIN_URL} with dist/tools/ops/migrate.js…`);
  execFileSync(process.execPath, ['dist/tools/ops/migrate.js'], {
    cwd: APP_ROOT,
    env: { ...process.env, DATABASE_URL: ADMIN_URL },
    stdio: 'ignore',
  });
  await emptyDirectory();
  const load = loadavg();
  log(
    `start → ready and idle RSS, from ${join(APP_ROOT, 'dist')} (node ${process.version}, load ${load.map((l) => l.toFixed(1)).join(' ')}, ${RUNS} runs)`,
  );

  const rows: Row[] = [];
  const running: Started[] = [];
  try {
    for (const app of ServiceNames) {
      if (!ONLY.includes(app)) continue;
      const { row, running: left } = await measure(app, app, true);
      rows.push(row);
      running.push(left!);
    }
    if (ONLY.includes('portal')) rows.push((await measure('portal')).row);
    let withMembers: Row | undefined;
    let indexLine = '';
    if (ONLY.includes('directory') && MEMBERS > 0) {
      // The directory again, with members in its index.
      const directory = running.find((r) => r.app === 'directory')!;
      running.splice(running.indexOf(directory), 1);
      await directory.stop();
      log(`loading ${MEMBERS.toLocaleString('en')} generated members into the directory…`);
      await loadMembers(MEMBERS);
      const members = await listed();
      withMembers = (await measure('directory', `directory (${members.toLocaleString('en')} members)`)).row;
      rows.push(withMembers);
      const empty = rows.find((r) => r.app === 'directory')!;
      const per10k = ((withMembers.rss - empty.rss) / members) * 10_000;
      indexLine =
        `directory index: +${(withMembers.rss - empty.rss).toFixed(0)} MB for ${members.toLocaleString('en')} members ` +
        `= ${per10k.toFixed(1)} MB per 10,000 members (idle RSS; empty: ${empty.rss.toFixed(0)} MB)`;
    }

    const pad = (text: string, width: number) => text.padEnd(width);
    const mark = (ok: boolean) => (ok ? 'ok' : 'OVER');
    log('');
    log(
      `| ${pad('application', 30)} | /health/live | start → ready (≤ ${TARGET_READY_S} s) | CPU until ready | idle RSS (≤ ${TARGET_RSS_MB} MB) |`,
    );
    log(`| ${'-'.repeat(30)} | ------------ | ---------------------- | --------------- | ---------------------- |`);
    for (const row of rows) {
      const ready = `${row.ready.toFixed(2)} s ${mark(row.ready <= TARGET_READY_S)}`;
      const rss = `${row.rss.toFixed(0)} MB ${row === withMembers ? '' : mark(row.rss <= TARGET_RSS_MB)}`;
      log(
        `| ${pad(row.app, 30)} | ${pad(`${row.live.toFixed(2)} s`, 12)} | ${pad(ready, 22)} | ${pad(`${row.cpu.toFixed(2)} s`, 15)} | ${pad(rss, 22)} |`,
      );
    }
    log('');
    if (indexLine) log(indexLine);
    const over = rows.filter((r) => r !== withMembers && (r.ready > TARGET_READY_S || r.rss > TARGET_RSS_MB));
    if (over.length > 0) log(`over target: ${over.map((r) => r.app).join(', ')}`);
  } finally {
    await Promise.all(running.map((r) => r.stop()));
    await deleteTopics().catch((error) => log(`could not delete the bench topics: ${error}`));
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
