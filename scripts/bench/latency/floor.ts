import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { REPO_ROOT } from '../../infra/kafka';
import { ListingWatch } from './listing-watch';
import { processCpuSeconds } from './process-cpu';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface FloorRun {
  /** Admit → HTTP answer, milliseconds. */
  http: number[];
  /** Admit → GET /members/:id answered 200, milliseconds (null: not within 20 s). */
  listed: (number | null)[];
  /** CPU of the two floor processes while admitting, in % of one core. */
  cpuPercent: { admit: number; listed: number };
}

interface FloorProcess {
  child: ChildProcess;
  port: number;
}

const SCHEMA = 'latency_bench_floor';

async function createTables(databaseUrl: string, count: number): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await db.query(`CREATE SCHEMA ${SCHEMA}`);
    await db.query(`
      CREATE TABLE ${SCHEMA}.applications (id uuid PRIMARY KEY, status text NOT NULL DEFAULT 'submitted');
      CREATE TABLE ${SCHEMA}.members (id uuid PRIMARY KEY, admitted_at timestamptz NOT NULL);
      CREATE TABLE ${SCHEMA}.history (seq bigserial PRIMARY KEY, subject uuid NOT NULL, action text NOT NULL);
      CREATE INDEX ON ${SCHEMA}.history (subject);
      CREATE TABLE ${SCHEMA}.outbox (seq bigserial PRIMARY KEY, id uuid UNIQUE NOT NULL, payload text NOT NULL,
                                     published_at timestamptz);
      CREATE INDEX ON ${SCHEMA}.outbox (seq) WHERE published_at IS NULL;
      CREATE TABLE ${SCHEMA}.inbox (event_id uuid PRIMARY KEY);
      CREATE TABLE ${SCHEMA}.entries (member_id uuid PRIMARY KEY, data jsonb NOT NULL);
      CREATE TABLE ${SCHEMA}.webhook_events (event_id uuid PRIMARY KEY, data jsonb NOT NULL);
      CREATE TABLE ${SCHEMA}.webhook_deliveries (event_id uuid PRIMARY KEY);`);
    const ids = Array.from({ length: count }, () => randomUUID());
    await db.query(`INSERT INTO ${SCHEMA}.applications (id) SELECT unnest($1::uuid[])`, [ids]);
    return ids;
  } finally {
    await db.end();
  }
}

/** `as-system`: the system's statements one by one; `one-round-trip`: each transaction as one query. */
export type FloorShape = 'as-system' | 'one-round-trip';

function startFloorProcess(
  role: 'admit' | 'listed',
  databaseUrl: string,
  brokers: string,
  topic: string,
  shape: FloorShape,
) {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(REPO_ROOT, 'scripts', 'register.js'),
      join(__dirname, 'floor-process.ts'),
      role,
      databaseUrl,
      SCHEMA,
      brokers,
      topic,
      shape,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise<FloorProcess>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (\d+)/.exec(out);
      if (ready) resolve({ child, port: Number(ready[1]) });
    });
    child.once('exit', (code) => reject(new Error(`floor ${role} process exited (${code})`)));
  });
}

/**
 * The event path's floor on this machine: `count` admissions at `perSecond` through the same
 * round trips as the system's (floor-process.ts), with bare clients in two processes of their
 * own, timed as the system is: the HTTP answer, and the first 200 of GET /members/:id polled
 * every `pollMs` with at most `pollConnections` requests at a time.
 */
export async function pathFloor(
  databaseUrl: string,
  brokers: string[],
  perSecond: number,
  count: number,
  poll: { pollMs: number; pollConnections: number },
  shape: FloorShape,
): Promise<FloorRun> {
  const warmUp = 20;
  const ids = await createTables(databaseUrl, count + warmUp);
  const topic = `latency-bench-floor-${randomUUID().slice(0, 8)}`;
  const kafka = new Kafka({ clientId: 'latency-bench-floor', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const processes: FloorProcess[] = [];
  let listings: ListingWatch | null = null;
  try {
    const [admitSide, listedSide] = await Promise.all([
      startFloorProcess('admit', databaseUrl, brokers.join(','), topic, shape),
      startFloorProcess('listed', databaseUrl, brokers.join(','), topic, shape),
    ]);
    processes.push(admitSide, listedSide);
    const admit = async (id: string) => {
      const response = await fetch(`http://127.0.0.1:${admitSide.port}/admit/${id}`, { method: 'POST' });
      await response.arrayBuffer();
      return response.status;
    };
    const watch = new ListingWatch((id) => `http://127.0.0.1:${listedSide.port}/members/${id}`, {
      pollMs: poll.pollMs,
      connections: poll.pollConnections,
    });
    listings = watch;
    const listedAt = (id: string) => watch.listedAt(id);

    // Warm connections, the consumer's group and the JIT, then a pause.
    for (const id of ids.slice(0, warmUp)) {
      const listed = listedAt(id);
      await admit(id);
      await listed;
    }
    await sleep(1_000);

    const cpuBefore = {
      admit: processCpuSeconds(admitSide.child.pid),
      listed: processCpuSeconds(listedSide.child.pid),
    };
    const start = performance.now();
    const runs: Promise<{ http: number; listed: number | null }>[] = [];
    for (const [i, id] of ids.slice(warmUp).entries()) {
      const wait = start + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await sleep(wait);
      const sentAt = performance.now();
      runs.push(
        (async () => {
          const listed = listedAt(id);
          await admit(id);
          const answeredAt = performance.now();
          const at = await listed;
          return { http: answeredAt - sentAt, listed: at === null ? null : at - sentAt };
        })(),
      );
    }
    const seconds = (performance.now() - start) / 1000;
    const cpuPercent = {
      admit: (100 * (processCpuSeconds(admitSide.child.pid) - cpuBefore.admit)) / seconds,
      listed: (100 * (processCpuSeconds(listedSide.child.pid) - cpuBefore.listed)) / seconds,
    };
    const results = await Promise.all(runs);
    return { http: results.map((r) => r.http), listed: results.map((r) => r.listed), cpuPercent };
  } finally {
    await listings?.stop();
    for (const { child } of processes) child.kill('SIGKILL');
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).finally(() => db.end());
  }
}
