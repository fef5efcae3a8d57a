import 'reflect-metadata';
import { Topics, TypedEvent } from '@valley/contracts';
import { KafkajsTransport } from '@valley/messaging';
import { createLogger, serviceDatabaseUrl } from '@valley/platform';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { apiQuery, parseDirectorySearch } from '../src/directory/directory-search';
import { FILTER_PAIRS, memberEvents, SEARCH_WORDS } from './bench-members';
import { freePort } from '@valley/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: object) => Promise<AutocannonResult>;
interface AutocannonResult {
  latency: { p50: number; p90: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * `npm run bench:portal`: the portal's speed target on this machine, side by side with the
 * directory API's own figure for the same searches, in one run.
 *
 * 1. BENCH_MEMBERS (100,000) listed members as MemberAdmitted events on a fresh topic prefix,
 *    read by the directory service (its own process, as deployed) into its own benchmark database.
 * 2. The portal (its own process) in front of it.
 * 3. The same searches (a query word and two filters: SEARCH_WORDS × FILTER_PAIRS), 20 clients,
 *    BENCH_SECONDS each after BENCH_WARMUP_SECONDS of the same traffic: first the directory API's
 *    `GET /members?…` exactly as the portal asks it, then the portal's server-rendered
 *    `/directory?…` page. Target: the page at p99 ≤ 100 ms.
 * 4. The page weight: HTML, CSS and scripts of those pages, uncompressed (no logos). Target ≤ 100 kB.
 *
 * Uses its own database (BENCH_DATABASE_URL, DEV ONLY default valley_bench_portal on the local
 * server) and deletes its topics at the end. Check `uptime` before: other work shares the cores.
 */
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/valley_bench_portal'; // DEV ONLY
const BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const MEMBERS = Number(process.env.BENCH_MEMBERS || 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS || 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS || 5);
const CONNECTIONS = 20;
const TARGET_P99_MS = 100;
const TARGET_PAGE_BYTES = 100 * 1024;
const ROOT = join(__dirname, '../../..');
const prefix = `bench-${randomUUID().slice(0, 8)}-portal.`;

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function publish(events: TypedEvent[]): Promise<void> {
  const transport = new KafkajsTransport({
    clientId: 'valley-portal-bench',
    brokers: BROKERS.split(','),
    topicPrefix: prefix,
    logger: createLogger('portal-bench', 'warn'),
  });
  try {
    await transport.ensureTopics([{ topic: Topics.MembershipLifecycle, partitions: 6 }]);
    const producer = await transport.createProducer();
    for (let i = 0; i < events.length; i += 2_000) {
      await producer.send(
        events.slice(i, i + 2_000).map((e) => ({
          topic: Topics.MembershipLifecycle,
          key: e.aggregateId,
          value: JSON.stringify(e),
        })),
      );
    }
    await producer.disconnect();
  } finally {
    await transport.close();
  }
}

interface Running {
  port: number;
  stop(): Promise<void>;
}

/** A service or the portal from its main.ts, in its own process; resolves once `ready` answers 200. */
async function run(main: string, env: Record<string, string>, ready: string, timeoutMs = 300_000): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['-r', './scripts/register.js', main], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${main} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}${ready}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() - started > timeoutMs) throw new Error(`${main} not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function load(port: number, paths: string[], seconds: number): Promise<AutocannonResult> {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'accept-language': 'lt-LT,lt;q=0.9,en;q=0.5' },
    requests: [{ setupRequest: (req: object) => ({ ...req, path: paths[next++ % paths.length] }) }],
  });
}

/** The HTML of a page and the stylesheets and scripts it links, in bytes, uncompressed. */
async function pageWeight(base: string, path: string): Promise<{ html: number; assets: number; total: number }> {
  const html = await (await fetch(`${base}${path}`)).text();
  const links = [...html.matchAll(/<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"/g)].map((m) =>
    m[1].replace(/&#x3D;/g, '='),
  );
  let assets = 0;
  for (const link of links) assets += (await (await fetch(`${base}${link}`)).arrayBuffer()).byteLength;
  const bytes = Buffer.byteLength(html);
  return { html: bytes, assets, total: bytes + assets };
}

async function resetDirectory(): Promise<void> {
  execFileSync(process.execPath, ['-r', './scripts/register.js', 'scripts/migrate.ts', 'directory'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: ADMIN_URL },
    stdio: 'inherit',
  });
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'directory' AND tablename <> 'migrations'`,
    );
    if (tables.rows.length > 0) {
      await client.query(`TRUNCATE ${tables.rows.map((t) => `directory."${t.tablename}"`).join(', ')}`);
    }
  } finally {
    await client.end();
  }
}

async function deleteTopics(): Promise<void> {
  const admin = new Kafka({
    clientId: 'valley-portal-bench',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

function show(name: string, r: AutocannonResult): void {
  log(`  ${name}`);
  log(`    p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`);
  log(
    `    ${fmt(r.requests.average)} requests/s, ${fmt(r.requests.total)} requests, non-2xx ${r.non2xx}, errors ${r.errors}`,
  );
}

async function main(): Promise<void> {
  log(
    `portal benchmark: ${fmt(MEMBERS)} members, ${CONNECTIONS} clients, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await resetDirectory();
  let t = Date.now();
  await publish(memberEvents(MEMBERS));
  log(`published ${fmt(MEMBERS)} MemberAdmitted events in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const services: Running[] = [];
  try {
    t = Date.now();
    const directory = await run(
      'services/directory/src/main.ts',
      {
        DATABASE_URL: serviceDatabaseUrl(ADMIN_URL, 'directory'),
        KAFKA_BROKERS: BROKERS,
        KAFKA_TOPIC_PREFIX: prefix,
        AUTH_JWT_SECRET: 'bench-only-jwt-secret-0123456789', // DEV ONLY: nothing here checks tokens
        METRICS_PORT: String(await freePort()),
        // One load generator asks everything: per-client limits would measure themselves.
        RATE_LIMITS: 'off',
        LOG_LEVEL: 'warn',
        WORKERS: '1',
      },
      '/health/live',
    );
    services.push(directory);
    for (;;) {
      const total = await fetch(`http://127.0.0.1:${directory.port}/members?limit=1&facets=false`)
        .then((r) => r.json() as Promise<{ total?: number }>)
        .then(
          (b) => b.total ?? 0,
          () => 0,
        );
      if (total >= MEMBERS) break;
      if (Date.now() - t > 600_000)
        throw new Error(`the directory lists ${total} of ${MEMBERS} members after 10 minutes`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    log(`directory listed them all in ${((Date.now() - t) / 1000).toFixed(1)} s (one process)`);

    const closed = `http://127.0.0.1:${await freePort()}`;
    const portal = await run(
      'services/portal/src/main.ts',
      {
        DIRECTORY_URL: `http://127.0.0.1:${directory.port}`,
        // The directory pages need the directory only.
        MEMBERSHIP_URL: closed,
        NOTIFICATIONS_URL: closed,
        REPORTING_URL: closed,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
      },
      '/health/live',
    );
    services.push(portal);

    const searches = SEARCH_WORDS.flatMap((q) => FILTER_PAIRS.map((f) => `q=${q}&${f}`));
    const portalPaths = searches.map((s) => encodeURI(`/directory?${s}`));
    // The very requests the portal makes for those pages.
    const apiPaths = searches.map(
      (s) => `/members?${apiQuery(parseDirectorySearch(Object.fromEntries(new URLSearchParams(s))))}`,
    );

    log('');
    log(
      `the same ${searches.length} searches (a query word and two filters, facets included), ${CONNECTIONS} clients, ${SECONDS} s each after ${WARMUP_SECONDS} s of the same traffic:`,
    );
    await load(directory.port, apiPaths, WARMUP_SECONDS);
    const api = await load(directory.port, apiPaths, SECONDS);
    show('directory API, GET /members?… (JSON)', api);
    await load(portal.port, portalPaths, WARMUP_SECONDS);
    const page = await load(portal.port, portalPaths, SECONDS);
    show('portal, GET /directory?… (the server-rendered page, through the directory API)', page);
    log(
      `  portal page p99 ${page.latency.p99} ms (target ≤ ${TARGET_P99_MS} ms): ${page.latency.p99 <= TARGET_P99_MS && page.non2xx === 0 && page.errors === 0 ? 'met' : 'NOT met'}; the page adds ${page.latency.p99 - api.latency.p99} ms at p99 to the API's answer`,
    );

    const base = `http://127.0.0.1:${portal.port}`;
    const weights = await Promise.all(
      [portalPaths[0], '/directory', `/directory?q=${SEARCH_WORDS[0]}`].map(async (path) => ({
        path,
        ...(await pageWeight(base, path)),
      })),
    );
    log('');
    log('page weight (HTML + CSS + scripts, uncompressed, no logos):');
    for (const w of weights) {
      log(
        `  ${decodeURI(w.path).padEnd(60)} ${fmt(w.total / 1024)} kB (HTML ${(w.html / 1024).toFixed(1)} kB, CSS and scripts ${(w.assets / 1024).toFixed(1)} kB)`,
      );
    }
    const heaviest = Math.max(...weights.map((w) => w.total));
    log(
      `  heaviest ${(heaviest / 1024).toFixed(1)} kB (target ≤ ${TARGET_PAGE_BYTES / 1024} kB): ${heaviest <= TARGET_PAGE_BYTES ? 'met' : 'NOT met'}`,
    );
    log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    for (const service of services.reverse()) await service.stop();
    await deleteTopics();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`portal benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
