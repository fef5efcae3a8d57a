/**
 * npm start: everything a developer needs, on this machine, with nothing installed by hand.
 * Starts Kafka (from Maven Central's jars) unless KAFKA_BROKERS points elsewhere, prepares
 * Postgres (database, roles, schemas, migrations), runs a development SMTP sink, seeds the
 * founding members, starts the four services, waits until each is ready and says where
 * everything is. Ctrl-C stops what it started.
 */
import { ServiceName, ServiceNames } from '@valley/contracts';
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedFoundingMembers } from '../services/membership/src/seed/seed-founding-members';
import { DEV_AUTH_JWT_SECRET, DEV_SMTP_PORT, DEV_SMTP_WEB_PORT } from './infra/dev-defaults';
import { startDevMailInbox } from './infra/dev-mail-inbox';
import { LOCAL_KAFKA_BROKERS, localKafka, localKafkaRunning, REPO_ROOT } from './infra/kafka';
import { serviceDatabaseUrl } from '@valley/platform';
import { DEFAULT_DATABASE_URL, provisionDatabase } from './infra/postgres';
import { migrateService, serviceDataSource } from './infra/service-databases';

export const SERVICE_PORTS: Record<ServiceName, number> = {
  membership: 3001,
  directory: 3002,
  notifications: 3003,
  reporting: 3004,
};

/** Replaced by main() once it has something to stop. */
let shutdown = async (code: number): Promise<void> => process.exit(code);

const log = (message: string) => process.stdout.write(`[valley] ${message}\n`);

async function waitForHealth(service: ServiceName, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const url = `http://127.0.0.1:${SERVICE_PORTS[service]}/health`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${service} exited with code ${child.exitCode}; see .data/logs/${service}.log`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${service} not ready within ${timeoutMs / 1000} s; see .data/logs/${service}.log`);
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const jwtSecret = process.env.AUTH_JWT_SECRET || DEV_AUTH_JWT_SECRET;
  const children: ChildProcess[] = [];
  let startedKafka = false;
  let inbox: { stop(): Promise<void> } | null = null;

  shutdown = async (code: number) => {
    log('stopping…');
    children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
    await Promise.all(
      children.map(
        (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
      ),
    );
    await inbox?.stop();
    if (startedKafka) localKafka('stop');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    startedKafka = !localKafkaRunning();
    log(startedKafka ? 'starting Kafka (first run fetches it from Maven Central)…' : 'Kafka already running');
    if (localKafka('start') !== 0) throw new Error('Kafka did not start; see .data/kafka/');
    brokers = LOCAL_KAFKA_BROKERS;
  }

  log(`preparing Postgres at ${new URL(adminUrl).host}${new URL(adminUrl).pathname}…`);
  await provisionDatabase(adminUrl);
  for (const service of ServiceNames) {
    const ran = await migrateService(adminUrl, service);
    if (ran.length > 0) log(`${service}: migrations ${ran.join(', ')}`);
  }

  const smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    inbox = await startDevMailInbox(DEV_SMTP_PORT, DEV_SMTP_WEB_PORT, join(REPO_ROOT, '.data', 'mail'));
  }

  const membershipDb = await serviceDataSource(adminUrl, 'membership').initialize();
  const seeded = await seedFoundingMembers(membershipDb);
  await membershipDb.destroy();
  log(seeded.length > 0 ? `seeded founding members: ${seeded.join(', ')}` : 'founding members already seeded');

  const logDir = join(REPO_ROOT, '.data', 'logs');
  mkdirSync(logDir, { recursive: true });
  for (const service of ServiceNames) {
    const child = spawn(process.execPath, ['-r', './scripts/register.js', `services/${service}/src/main.ts`], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(SERVICE_PORTS[service]),
        DATABASE_URL: serviceDatabaseUrl(adminUrl, service),
        KAFKA_BROKERS: brokers,
        AUTH_JWT_SECRET: jwtSecret,
        SMTP_URL: smtpUrl || `smtp://127.0.0.1:${DEV_SMTP_PORT}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(join(logDir, `${service}.log`), { flags: 'a' });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGTERM') log(`${service} stopped (code ${code}); see .data/logs/${service}.log`);
    });
    children.push(child);
  }
  log('starting membership, directory, notifications, reporting…');
  await Promise.all(ServiceNames.map((service, i) => waitForHealth(service, children[i])));

  log('ready.');
  const lines = [
    ...ServiceNames.map((s) => `  ${s.padEnd(14)} http://127.0.0.1:${SERVICE_PORTS[s]}   (docs /docs, health /health)`),
    `  kafka          ${brokers}`,
    `  postgres       ${new URL(adminUrl).host}${new URL(adminUrl).pathname}`,
    smtpUrl
      ? `  smtp           ${smtpUrl}`
      : `  dev mail inbox http://127.0.0.1:${DEV_SMTP_WEB_PORT}   (SMTP on 127.0.0.1:${DEV_SMTP_PORT})`,
    `  logs           .data/logs/<service>.log`,
    `  coordinator token: npm run token -- coordinator`,
    '  Ctrl-C stops everything npm start started.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`[valley] start failed: ${error instanceof Error ? error.message : error}\n`);
  void shutdown(1);
});
