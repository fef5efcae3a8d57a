/**
 * npm start: everything a developer needs, on this machine, with nothing installed by hand.
 * Starts Kafka (from Maven Central's jars) unless KAFKA_BROKERS points elsewhere, prepares
 * Postgres (database, roles, schemas, migrations), runs a development SMTP sink, seeds the
 * founding members, runs the DEV ONLY OpenID Connect provider (tools/dev-identity-provider) unless
 * AUTH_JWKS_URL names another, starts the four services, waits until each is ready and says where
 * everything is. A service that exits is restarted with backoff (as compose and Kubernetes
 * would), and npm start says so. Ctrl-C stops everything it started.
 *
 * KAFKA_CLUSTER=3: the local three-broker KRaft cluster instead of the single broker, with topics of
 * three replicas and min.insync.replicas 2. INSTANCES=2: two processes of every service, in the same
 * consumer groups (Kafka shares the partitions out), the second on its port + 10.
 */
import { ServiceName, ServiceNames } from '@valley/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedFoundingMembers } from '../services/membership/src/seed/seed-founding-members';
import {
  DEV_AUTH_AUDIENCE,
  DEV_AUTH_ISSUER,
  DEV_AUTH_JWT_SECRET,
  DEV_CORS_ORIGINS,
  DEV_IDP_CLIENT_ID,
  DEV_IDP_CLIENT_SECRET,
  DEV_IDP_COORDINATOR,
  DEV_IDP_PORT,
  DEV_SMTP_PORT,
  DEV_SMTP_WEB_PORT,
} from './infra/dev-defaults';
import { startDevMailInbox } from './infra/dev-mail-inbox';
import {
  LOCAL_KAFKA_BROKERS,
  LOCAL_KAFKA_CLUSTER_BROKERS,
  localKafka,
  localKafkaCluster,
  localKafkaRunning,
  REPO_ROOT,
} from './infra/kafka';
import { serviceDatabaseUrl } from '@valley/platform';
import { DEFAULT_DATABASE_URL, provisionDatabase } from './infra/postgres';
import { migrateService, serviceDataSource } from './infra/service-databases';
import { Supervisor } from './infra/supervisor';
import { RunningZipkin, startZipkin, zipkinExportEnv } from './infra/zipkin';

export const SERVICE_PORTS: Record<ServiceName, number> = {
  membership: 3001,
  directory: 3002,
  notifications: 3003,
  reporting: 3004,
};

/** Each service's METRICS_PORT default (its config class), for the instances after the first. */
const METRICS_PORTS: Record<ServiceName, number> = {
  membership: 9101,
  directory: 9102,
  notifications: 9103,
  reporting: 9104,
};

/** Where notifications takes bounce reports (RFC 3464) under npm start. */
const DEV_BOUNCE_SMTP_PORT = 2525;

/** INSTANCES=N: instance k (0-based) of a service listens on its port + 10·k, its metrics likewise. */
const INSTANCE_PORT_STEP = 10;

/** The web portal (services/portal): it talks to the four services above over HTTP. */
export const PORTAL_PORT = 3000;

/** Replaced by main() once it has something to stop. */
let shutdown = async (code: number): Promise<void> => process.exit(code);

const log = (message: string) => process.stdout.write(`[valley] ${message}\n`);

async function waitForHealth(name: string, port: number, supervisor: Supervisor, timeoutMs = 120_000): Promise<void> {
  const service = name;
  const url = `http://127.0.0.1:${port}/health`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (supervisor.restartCount >= 3) {
      throw new Error(`${service} keeps exiting; see .data/logs/${service}.log`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${service} not ready within ${timeoutMs / 1000} s; see .data/logs/${service}.log`);
}

/** Waits until the OpenID Connect provider at `issuer` answers its discovery document. */
async function waitForIdentityProvider(issuer: string, supervisor: Supervisor, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (supervisor.restartCount >= 3) {
      throw new Error('the dev identity provider keeps exiting; see .data/logs/dev-identity-provider.log');
    }
    try {
      if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `the dev identity provider not ready within ${timeoutMs / 1000} s; see .data/logs/dev-identity-provider.log`,
  );
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const jwtSecret = process.env.AUTH_JWT_SECRET || DEV_AUTH_JWT_SECRET;
  // Another identity provider when AUTH_JWKS_URL says so; else the DEV ONLY one, run here.
  const ownIdentityProvider = !process.env.AUTH_JWKS_URL;
  const issuer = ownIdentityProvider ? DEV_AUTH_ISSUER : process.env.AUTH_ISSUER || DEV_AUTH_ISSUER;
  const audience = ownIdentityProvider ? DEV_AUTH_AUDIENCE : process.env.AUTH_AUDIENCE || DEV_AUTH_AUDIENCE;
  const jwksUrl = ownIdentityProvider ? `${DEV_AUTH_ISSUER}/jwks` : process.env.AUTH_JWKS_URL!;
  const supervisors: Supervisor[] = [];
  let startedKafka = false;
  let inbox: { stop(): Promise<void> } | null = null;
  // TRACES=1: a trace viewer (Zipkin) on this machine, and every service exporting to it.
  const traces = /^(1|true|yes)$/i.test(process.env.TRACES ?? '');
  let zipkin: RunningZipkin | null = null;

  shutdown = async (code: number) => {
    log('stopping…');
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    await inbox?.stop();
    await zipkin?.stop();
    if (startedKafka) (cluster ? localKafkaCluster : localKafka)('stop');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  const instances = positiveInteger('INSTANCES', 1);
  const clusterSize = positiveInteger('KAFKA_CLUSTER', 1);
  if (clusterSize !== 1 && clusterSize !== 3) throw new Error('KAFKA_CLUSTER is 3 (the local cluster) or unset');
  const cluster = clusterSize === 3;
  // On the cluster, topics the services create get three replicas, and a write two acknowledgements.
  const replication = cluster
    ? {
        KAFKA_REPLICATION_FACTOR: process.env.KAFKA_REPLICATION_FACTOR || '3',
        KAFKA_MIN_INSYNC_REPLICAS: process.env.KAFKA_MIN_INSYNC_REPLICAS || '2',
      }
    : {};
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers && cluster) {
    startedKafka = localKafkaCluster('status') !== 0;
    log(startedKafka ? 'starting the three-broker Kafka cluster…' : 'Kafka cluster already running');
    if (localKafkaCluster('start') !== 0) throw new Error('the Kafka cluster did not start; see .data/kafka-cluster/');
    brokers = LOCAL_KAFKA_CLUSTER_BROKERS;
  } else if (!brokers) {
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
  if (traces) {
    log('starting the trace viewer (Zipkin; the first run fetches it from Maven Central)…');
    zipkin = await startZipkin(join(logDir, 'zipkin.log'), log);
  }
  if (ownIdentityProvider) {
    const identity = new Supervisor(
      {
        name: 'dev-identity-provider',
        args: ['tools/dev-identity-provider/main.mjs'],
        cwd: REPO_ROOT,
        // DEV ONLY: it refuses NODE_ENV=production. DEV_IDP_* variables of the environment pass through.
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DEV_IDP_PORT: String(DEV_IDP_PORT),
          DEV_IDP_ISSUER: DEV_AUTH_ISSUER,
          DEV_IDP_AUDIENCE: DEV_AUTH_AUDIENCE,
        },
        logFile: join(logDir, 'dev-identity-provider.log'),
      },
      log,
    );
    identity.start();
    supervisors.push(identity);
    log(`starting the DEV ONLY OpenID Connect provider at ${DEV_AUTH_ISSUER}…`);
    await waitForIdentityProvider(DEV_AUTH_ISSUER, identity);
  }
  const memberIssuer = `http://127.0.0.1:${SERVICE_PORTS.membership}`;
  // Every membership instance signs member tokens with the same key (DEV ONLY: made here, gone at Ctrl-C).
  const memberTokenKey =
    instances > 1 && !process.env.MEMBER_TOKEN_PRIVATE_KEY
      ? {
          MEMBER_TOKEN_PRIVATE_KEY: String(
            generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
          ),
        }
      : {};
  const serviceInstances: { name: string; port: number; supervisor: Supervisor }[] = [];
  for (const service of ServiceNames) {
    for (let instance = 0; instance < instances; instance++) {
      const name = instance === 0 ? service : `${service}#${instance + 1}`;
      const port = SERVICE_PORTS[service] + INSTANCE_PORT_STEP * instance;
      const supervisor = new Supervisor(
        {
          name,
          args: ['-r', './scripts/register.js', `services/${service}/src/main.ts`],
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            PORT: String(port),
            ...(instances > 1 ? { METRICS_PORT: String(METRICS_PORTS[service] + INSTANCE_PORT_STEP * instance) } : {}),
            DATABASE_URL: serviceDatabaseUrl(adminUrl, service),
            KAFKA_BROKERS: brokers,
            ...replication,
            // HS256 (npm run token) outside production, and the identity provider's tokens.
            AUTH_JWT_SECRET: jwtSecret,
            AUTH_JWKS_URL: jwksUrl,
            AUTH_ISSUER: issuer,
            AUTH_AUDIENCE: audience,
            // Member tokens: membership signs them (a DEV ONLY key), every service checks them.
            AUTH_MEMBER_ISSUER: memberIssuer,
            AUTH_MEMBER_JWKS_URL: `${memberIssuer}/.well-known/jwks.json`,
            MEMBER_TOKEN_ISSUER: memberIssuer,
            ...(service === 'membership' ? memberTokenKey : {}),
            CORS_ORIGINS: process.env.CORS_ORIGINS || DEV_CORS_ORIGINS,
            SMTP_URL: smtpUrl || `smtp://127.0.0.1:${DEV_SMTP_PORT}`,
            // Bounce reports: the envelope sender of every message (DEV ONLY address), and the receiver's port.
            ...(service === 'notifications'
              ? {
                  BOUNCE_ADDRESS: process.env.BOUNCE_ADDRESS || 'bounces@valley.localhost',
                  BOUNCE_SMTP_PORT: String(DEV_BOUNCE_SMTP_PORT + INSTANCE_PORT_STEP * instance),
                }
              : {}),
            ...(traces ? zipkinExportEnv() : {}),
          },
          logFile: join(logDir, `${instance === 0 ? service : `${service}-${instance + 1}`}.log`),
        },
        log,
      );
      supervisor.start();
      supervisors.push(supervisor);
      serviceInstances.push({ name, port, supervisor });
    }
  }
  const portal = new Supervisor(
    {
      name: 'portal',
      args: ['-r', './scripts/register.js', 'services/portal/src/main.ts'],
      cwd: REPO_ROOT,
      // Its defaults are the services' addresses above; development: cookies without Secure (http).
      env: {
        ...process.env,
        PORT: String(PORTAL_PORT),
        NODE_ENV: process.env.NODE_ENV || 'development',
        ...(traces ? zipkinExportEnv() : {}),
      },
      logFile: join(logDir, 'portal.log'),
    },
    log,
  );
  portal.start();
  supervisors.push(portal);
  log(
    `starting membership, directory, notifications, reporting${instances > 1 ? ` (${instances} instances each)` : ''}, portal…`,
  );
  await Promise.all([
    ...serviceInstances.map(({ name, port, supervisor }) => waitForHealth(name, port, supervisor)),
    waitForHealth('portal', PORTAL_PORT, portal),
  ]);

  log('ready.');
  const minutes = (variable: string, seconds: number) => Number(process.env[variable] || seconds) / 60;
  const lines = [
    `  portal         http://127.0.0.1:${PORTAL_PORT}   (the web portal; health /health)`,
    ...ServiceNames.map(
      (s) =>
        `  ${s.padEnd(14)} http://127.0.0.1:${SERVICE_PORTS[s]}   (docs /docs, events /asyncapi.html, health /health)`,
    ),
    ...(instances > 1
      ? [
          `  more instances ${serviceInstances
            .filter(({ name }) => name.includes('#'))
            .map(({ name, port }) => `${name} :${port}`)
            .join(', ')}`,
          '                 (the same consumer groups: Kafka shares the partitions out; the portal uses the first)',
        ]
      : []),
    `  kafka          ${brokers}${cluster ? '   (three brokers; topics of 3 replicas, min.insync.replicas 2)' : ''}`,
    `  postgres       ${new URL(adminUrl).host}${new URL(adminUrl).pathname}`,
    smtpUrl
      ? `  smtp           ${smtpUrl}`
      : `  dev mail inbox http://127.0.0.1:${DEV_SMTP_WEB_PORT}   (SMTP on 127.0.0.1:${DEV_SMTP_PORT})`,
    `  bounces        SMTP on 127.0.0.1:${DEV_BOUNCE_SMTP_PORT}   (notifications takes bounce reports here: see services/notifications/README.md)`,
    `  metrics        http://127.0.0.1:9101/metrics … :9104 (one port per service, apart from the API${instances > 1 ? '; instance k: + 10·(k-1)' : ''})`,
    `  logs           .data/logs/<service>.log${instances > 1 ? ', <service>-2.log …' : ''}`,
    ...(zipkin
      ? [`  traces         ${zipkin.url}   (Zipkin: one admission is one trace; logs .data/logs/zipkin.log)`]
      : process.env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? [`  traces         exported over OTLP to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`]
        : []),
    ...(ownIdentityProvider
      ? [
          `  identity       ${DEV_AUTH_ISSUER}   (DEV ONLY OpenID Connect provider; logs .data/logs/dev-identity-provider.log)`,
          `  sign in as the development coordinator: account ${DEV_IDP_COORDINATOR} (DEV ONLY, no password: pick it`,
          `    on the provider's page), issuer ${DEV_AUTH_ISSUER}, client ${DEV_IDP_CLIENT_ID}, secret ${DEV_IDP_CLIENT_SECRET},`,
          `    code flow with PKCE S256, redirect http://127.0.0.1:${PORTAL_PORT}/sign-in/callback; access tokens ${minutes('DEV_IDP_ACCESS_TOKEN_TTL_SECONDS', 600)} min, sessions ${minutes('DEV_IDP_SESSION_TTL_SECONDS', 28_800) / 60} h`,
        ]
      : [`  identity       ${issuer}   (AUTH_JWKS_URL ${jwksUrl})`]),
    `  coordinator token without signing in (HS256, DEV ONLY): npm run token -- coordinator`,
    `  a member signs in at http://127.0.0.1:${PORTAL_PORT}/sign-in with its contact email; the link arrives in the mail inbox`,
    '  Ctrl-C stops everything npm start started.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A positive whole number from the environment, or `fallback` when unset. */
function positiveInteger(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a whole number ≥ 1 (got ${raw})`);
  return value;
}

main().catch((error) => {
  process.stderr.write(`[valley] start failed: ${error instanceof Error ? error.message : error}\n`);
  void shutdown(1);
});
