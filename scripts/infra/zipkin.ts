/**
 * A trace viewer on this machine for `TRACES=1 npm start`: Zipkin's server, the executable jar
 * Maven Central has (`io.zipkin:zipkin-server`, classifier `exec`), fetched once into .cache/ with
 * Maven as the Kafka jars are (deploy/local/kafka/kafka.sh), run on the machine's Java 17 with
 * in-memory storage.
 *
 * Zipkin takes spans in its own format (`/api/v2/spans`), not OTLP: the services export to it with
 * the SDK's Zipkin exporter (`OTEL_TRACES_EXPORTER=zipkin`), which @opentelemetry/sdk-node ships.
 * Viewers that take OTLP (Jaeger, Grafana Tempo) are not on Maven Central nor npm.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './kafka';

export const ZIPKIN_VERSION = process.env.ZIPKIN_VERSION || '3.5.1';
export const ZIPKIN_PORT = Number(process.env.ZIPKIN_PORT || 9411);
export const ZIPKIN_URL = `http://127.0.0.1:${ZIPKIN_PORT}`;

/** Where the services send their spans (the Zipkin exporter's endpoint). */
export const ZIPKIN_SPANS_ENDPOINT = `${ZIPKIN_URL}/api/v2/spans`;

const CACHE_DIR = join(REPO_ROOT, '.cache', 'zipkin', ZIPKIN_VERSION);
const JAR = join(CACHE_DIR, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);

/** Downloads the server jar from Maven Central unless it is in .cache/ already; returns its path. */
export function fetchZipkin(say: (message: string) => void): string {
  if (existsSync(JAR)) return JAR;
  say(`fetching Zipkin ${ZIPKIN_VERSION} (io.zipkin:zipkin-server, exec jar) from Maven Central…`);
  const tmp = `${CACHE_DIR}.tmp.${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      'dependency:copy',
      `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`,
      `-DoutputDirectory=${tmp}`,
      `-Dmaven.repo.local=${join(REPO_ROOT, '.cache', 'm2')}`,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (result.error) throw new Error(`mvn (Maven 3.8+) is needed to fetch Zipkin: ${result.error.message}`);
  if (result.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `fetching Zipkin failed: ${(result.stdout + result.stderr).trim().split('\n').slice(-10).join('\n')}`,
    );
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  renameSync(join(tmp, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`), JAR);
  rmSync(tmp, { recursive: true, force: true });
  return JAR;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

export interface RunningZipkin {
  url: string;
  /** False when a Zipkin already answered on the port (it is left running). */
  startedHere: boolean;
  stop(): Promise<void>;
}

/** Runs Zipkin on ZIPKIN_PORT (unless one answers there already) and waits until it is healthy. */
export async function startZipkin(logFile: string, say: (message: string) => void): Promise<RunningZipkin> {
  if (await answers(`${ZIPKIN_URL}/health`)) return { url: ZIPKIN_URL, startedHere: false, stop: async () => {} };
  const jar = fetchZipkin(say);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(java, ['-Xms64m', '-Xmx256m', '-jar', jar], {
    cwd: REPO_ROOT,
    // Its own settings only: Zipkin reads many variables (KAFKA_BOOTSTRAP_SERVERS, RABBIT_URI…) as collectors to start.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, QUERY_PORT: String(ZIPKIN_PORT), STORAGE_TYPE: 'mem' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await answers(`${ZIPKIN_URL}/health`))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Zipkin exited; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Zipkin not ready within 60 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return {
    url: ZIPKIN_URL,
    startedHere: true,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * What the services need to export to it: the Zipkin exporter, and OTLP as well when the developer
 * set OTEL_EXPORTER_OTLP_ENDPOINT too.
 */
export function zipkinExportEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const otlp = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  return {
    OTEL_TRACES_EXPORTER: otlp ? 'otlp,zipkin' : 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: ZIPKIN_SPANS_ENDPOINT,
    // Spans show up in the viewer a second after the request, not five.
    OTEL_BSP_SCHEDULE_DELAY: env.OTEL_BSP_SCHEDULE_DELAY || '1000',
  };
}
