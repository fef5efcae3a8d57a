import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { decodeEvent, Topics, TypedEvent } from '@valley/contracts';
import {
  eventHandlerOf,
  KafkajsTransport,
  PersonalDataKeyring,
  personalDataMasterKey,
  replayHistory,
} from '@valley/messaging';
import { createLogger, loadConfig, serviceDatabaseUrl, serviceDataSourceOptions } from '@valley/platform';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { directoryDatabase } from '../src/database/directory-database';
import { DirectoryConfig } from '../src/directory.config';
import { DirectoryProjection, MembershipEventsController } from '../src/projection';
import { rebuildDirectory } from '../src/rebuild/rebuild';
import { filterChoices, MemberGenerator, searchWords, seededRandom } from './member-generator';
import { freePort } from '@valley/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: object) => Promise<AutocannonResult>;
interface AutocannonResult {
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * `npm run bench:directory`: the directory's speed targets, measured on this machine.
 *
 * 1. Generates BENCH_MEMBERS (100,000) listed members as MemberAdmitted events (+ profile
 *    updates, suspensions and reinstatements) on a fresh benchmark topic prefix.
 * 2. Side by side on the same subset (the first BENCH_SUBSET events): the rebuild (batches of
 *    2,000, one transaction each) and a one-transaction-per-message consumer (the same handler
 *    and batch processor with chunks of one).
 * 3. The full rebuild of all events.
 * 4. Search load with autocannon on the service in its own processes: 50 clients, a query and
 *    two filters, for BENCH_SECONDS: every answer computed; as deployed (answer cache on) with
 *    the same searches repeated; as deployed with BENCH_UNSEEN_SHARE of them new. Each on a
 *    fresh service, after BENCH_WARMUP_SECONDS of the same traffic (other new searches), whose
 *    figures are printed too: the first seconds after a start (an index change empties the same
 *    caches, though the code is warm then).
 *
 * Uses its own database (BENCH_DATABASE_URL, DEV ONLY default valley_bench on the local server)
 * and deletes its topics at the end.
 */
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/valley_bench'; // DEV ONLY
const BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const MEMBERS = Number(process.env.BENCH_MEMBERS || 100_000);
const SUBSET = Number(process.env.BENCH_SUBSET || 30_000);
const SECONDS = Number(process.env.BENCH_SECONDS || 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS || 5);
/**
 * Directory processes under the search load: by default one per core but one, which is left to
 * the load generator (on 2 cores, two service processes and autocannon time-slice, and the tail
 * latency of even cached answers doubles).
 */
const WORKERS = Number(process.env.BENCH_WORKERS || Math.max(1, cpus().length - 1));
/** Share of the "as deployed" requests that are searches not asked before (other filters). */
const UNSEEN = Number(process.env.BENCH_UNSEEN_SHARE ?? 0.1);
/** Only the search load, on what the last full run left in the benchmark database. */
const SEARCH_ONLY = process.env.BENCH_SEARCH_ONLY === '1';
const CONNECTIONS = 50;
const run = randomUUID().slice(0, 8);
const fullPrefix = `bench-${run}-full.`;
const subsetPrefix = `bench-${run}-subset.`;
const idlePrefix = `bench-${run}-idle.`;

const log = (line: string) => process.stdout.write(`${line}\n`);

function config(prefix: string): DirectoryConfig {
  return loadConfig(DirectoryConfig, {
    PORT: '0',
    DATABASE_URL: serviceDatabaseUrl(ADMIN_URL, 'directory'),
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_PARTITIONS: '6',
    AUTH_JWT_SECRET: 'bench-only-jwt-secret-0123456789', // DEV ONLY: the benchmark checks no tokens
    LOG_LEVEL: 'warn',
  });
}

async function publish(prefix: string, events: TypedEvent[]): Promise<void> {
  const transport = new KafkajsTransport({
    clientId: 'valley-directory-bench',
    brokers: BROKERS.split(','),
    topicPrefix: prefix,
    logger: createLogger('directory-bench', 'warn'),
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

/** The same handler, batch processor and concurrency as the rebuild, but one event per transaction. */
async function perMessageReplay(prefix: string): Promise<{ events: number; seconds: number }> {
  const cfg = config(prefix);
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url: cfg.DATABASE_URL, schema: 'directory', ...directoryDatabase }),
  ).initialize();
  const logger = createLogger('directory-bench', 'warn');
  const transport = new KafkajsTransport({
    clientId: 'valley-directory-bench',
    brokers: cfg.KAFKA_BROKERS,
    topicPrefix: prefix,
    logger,
  });
  try {
    await dataSource.query('TRUNCATE directory.directory_entries');
    await dataSource.query(`DELETE FROM directory.inbox_messages WHERE consumer = 'directory-projection'`);
    const started = Date.now();
    const result = await replayHistory({
      service: 'directory',
      transport,
      handler: eventHandlerOf(
        new MembershipEventsController(
          new DirectoryProjection(dataSource),
          new PersonalDataKeyring(dataSource, personalDataMasterKey(cfg.PERSONAL_DATA_KEY)),
        ),
        'apply',
      ),
      logger,
      chunkSize: 1,
      partitionsConcurrently: 2, // as the rebuild: only the chunk size differs
    });
    return { events: result.read, seconds: (Date.now() - started) / 1000 };
  } finally {
    await transport.close();
    await dataSource.destroy();
  }
}

const FILTER_PAIRS = [
  'region=Kauno apskritis&sector=C',
  'region=Vilniaus apskritis&focusArea=innovation_technologies',
  'sector=C25&sizeClass=small',
  'focusArea=cooperation&organisationType=business',
  'sector=M72&region=Klaipėdos apskritis',
  'sizeClass=medium&memberSinceFrom=2023-01-01',
];

/** Search requests a portal makes: a query word or prefix plus two filters. */
function searchPaths(words: string[]): string[] {
  return words.flatMap((q) => FILTER_PAIRS.map((f) => encodeURI(`/members?q=${q}&${f}&limit=20`)));
}

/**
 * The load: the paths in turn, but a share `unseen` of the requests are new searches: one of the
 * same query words with two filters of other kinds or values (any two of region, sector, size,
 * type, focus area, member since), which is, nearly always, a search not asked before.
 */
async function load(port: number, paths: string[], unseen: number, seconds: number, seed: number) {
  let next = 0;
  const random = seededRandom(seed);
  const words = searchWords();
  const choices = Object.entries(filterChoices());
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const pathOf = () => {
    if (random() >= unseen) return paths[next++ % paths.length];
    const first = pick(choices);
    const second = pick(choices.filter((choice) => choice !== first));
    const filters = [first, second].map(([name, values]) => `${name}=${pick(values)}`).join('&');
    return encodeURI(`/members?q=${pick(words)}&${filters}&limit=20`);
  };
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req: object) => ({ ...req, path: pathOf() }) }],
  });
}

/**
 * The directory service as it runs in production: its own process (`services/directory/src/main.ts`),
 * so that the load generator does not share its event loop. Resolves once /health/live answers.
 */
async function startService(
  cacheEntries: number,
): Promise<{ port: number; metricsPort: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const cfg = config(idlePrefix);
  const child = spawn(process.execPath, ['-r', './scripts/register.js', 'services/directory/src/main.ts'], {
    cwd: join(__dirname, '../../..'),
    env: {
      ...process.env,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      // One load generator asks everything: per-client limits would measure themselves.
      RATE_LIMITS: 'off',
      DATABASE_URL: cfg.DATABASE_URL,
      KAFKA_BROKERS: BROKERS,
      KAFKA_TOPIC_PREFIX: idlePrefix,
      AUTH_JWT_SECRET: cfg.AUTH_JWT_SECRET,
      LOG_LEVEL: 'warn',
      SEARCH_CACHE_ENTRIES: String(cacheEntries),
      WORKERS: String(WORKERS),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`directory service exited with ${child.exitCode}`);
    const live = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() - started > 180_000) throw new Error('directory service did not start within 180 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    metricsPort,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The search load on the service in its own processes (WORKERS): first with every answer
 * computed by the index (SEARCH_CACHE_ENTRIES=0), then as deployed, where answers are kept per
 * index snapshot, once with the same hundreds of searches (words × filter pairs) over and over,
 * once with a share UNSEEN of them new. Each run starts a fresh service (an empty answer cache).
 */
async function searchLoad(): Promise<{ computed: Measured; repeated: Measured; mixed: Measured; paths: number }> {
  const paths = searchPaths(searchWords());
  const measure = async (cacheEntries: number, unseen: number): Promise<Measured> => {
    const service = await startService(cacheEntries);
    try {
      // The workers load their indexes side by side; give the last one time to listen.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      // The same traffic warms up code and caches (its new searches are others: another seed).
      const warmup = await load(service.port, paths, unseen, WARMUP_SECONDS, 1);
      const before = await answerSources(service.metricsPort);
      const result = await load(service.port, paths, unseen, SECONDS, 7);
      const after = await answerSources(service.metricsPort);
      const cache = after.cache - before.cache;
      return { result, warmup, cacheShare: cache / Math.max(1, cache + after.index - before.index) };
    } finally {
      await service.stop();
    }
  };
  return {
    computed: await measure(0, 0),
    repeated: await measure(10_000, 0),
    mixed: await measure(10_000, UNSEEN),
    paths: paths.length,
  };
}

interface Measured {
  result: AutocannonResult;
  /** The first WARMUP_SECONDS on the fresh service, not counted in `result`. */
  warmup: AutocannonResult;
  /** Of the answers served during the load, the share that came from the answer cache. */
  cacheShare: number;
}

/** The service's count of answers by source, from its /metrics (on the metrics port). */
async function answerSources(port: number): Promise<{ cache: number; index: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const count = (source: string) =>
    Number(new RegExp(`valley_directory_search_answers_total\\{source="${source}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { cache: count('cache'), index: count('index') };
}

async function deleteTopics(): Promise<void> {
  const admin = new Kafka({
    clientId: 'valley-directory-bench',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`bench-${run}-`));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  log(
    `directory benchmark: ${MEMBERS} members, subset ${SUBSET} events, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // The project's own command provisions the database (roles, schemas, pg_trgm) and migrates it.
  const root = join(__dirname, '../../..');
  execFileSync(process.execPath, ['-r', './scripts/register.js', 'scripts/migrate.ts', 'directory'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: ADMIN_URL },
    stdio: 'inherit',
  });

  try {
    if (!SEARCH_ONLY) await rebuildFigures();
    await searchFigures();
  } finally {
    await deleteTopics();
  }
}

async function rebuildFigures(): Promise<void> {
  let t = Date.now();
  const history = new MemberGenerator().history(MEMBERS);
  log(`generated ${history.length} events in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  await publish(fullPrefix, history);
  await publish(subsetPrefix, history.slice(0, SUBSET));
  log(`published in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  try {
    const batchedSubset = await rebuildDirectory(config(subsetPrefix));
    const single = await perMessageReplay(subsetPrefix);
    const singleRate = single.events / single.seconds;
    log('');
    log(`same ${SUBSET} events, side by side:`);
    log(
      `  rebuild, batched (2,000 per transaction):  ${fmt(batchedSubset.eventsPerSecond)} events/s  (${batchedSubset.seconds.toFixed(1)} s)`,
    );
    log(`  one transaction per message:               ${fmt(singleRate)} events/s  (${single.seconds.toFixed(1)} s)`);
    log(`  ratio:                                     ${(batchedSubset.eventsPerSecond / singleRate).toFixed(1)}x`);

    // What the shared decoder (JSON + class-validator, run by the batch processor on every message)
    // costs alone on this machine right now: a ceiling for any consumer of these events.
    const raw = history.slice(0, SUBSET).map((e) => Buffer.from(JSON.stringify(e)));
    const decodeStarted = Date.now();
    for (const message of raw) decodeEvent(message);
    const decodeRate = raw.length / ((Date.now() - decodeStarted) / 1000);
    log(`  decodeEvent alone (libs/contracts):         ${fmt(decodeRate)} events/s`);

    const full = await rebuildDirectory(config(fullPrefix), { progressBar: process.stderr.isTTY });
    log('');
    log(`full rebuild: ${full.events} events in ${full.seconds.toFixed(1)} s = ${fmt(full.eventsPerSecond)} events/s`);
    log(
      `  one-transaction-per-message, extrapolated at the subset's rate: ${(full.events / singleRate).toFixed(0)} s; ratio ${(full.eventsPerSecond / singleRate).toFixed(1)}x`,
    );
  } finally {
    await deleteTopics();
  }
}

async function searchFigures(): Promise<void> {
  const search = await searchLoad();
  const show = (name: string, { result: r, warmup: w, cacheShare }: Measured) => {
    log(`  ${name}: ${(cacheShare * 100).toFixed(1)}% of answers from the cache`);
    log(`    p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms;`);
    log(
      `    ${fmt(r.requests.average)} requests/s, ${r.requests.total} requests, non-2xx ${r.non2xx}, errors ${r.errors}`,
    );
    log(
      `    first ${WARMUP_SECONDS} s after the start (warm-up, not counted above): p99 ${w.latency.p99} ms, max ${w.latency.max} ms, ${fmt(w.requests.average)} requests/s, non-2xx ${w.non2xx}, errors ${w.errors}`,
    );
  };
  log('');
  log(
    `search with facets, a query and two filters, ${search.paths} different searches, ${CONNECTIONS} clients, ${SECONDS} s each after ${WARMUP_SECONDS} s of the same traffic, ${WORKERS} service process(es):`,
  );
  show('every answer computed by the index (SEARCH_CACHE_ENTRIES=0)', search.computed);
  show('as deployed (answers kept per index snapshot), the same searches again and again', search.repeated);
  show(`as deployed, ${Math.round(UNSEEN * 100)}% of requests new searches (other filters)`, search.mixed);
  log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other work on this machine shares its ${cpus().length} cores)`,
  );
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`directory benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
