import { deadLetterTopic, ServiceName, ServiceNames } from '@valley/contracts';
import { serviceDatabaseUrl, serviceRole, signToken } from '@valley/platform';
import { freePort, KafkaTestClient, SmtpSink } from '@valley/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../../../scripts/infra/kafka';
import { resetSchemas } from '../../../scripts/infra/postgres';
import { migrateService } from '../../../scripts/infra/service-databases';
import { assertTestDatabase } from '../../test-infra';
import { FaultBroker } from './fault-broker';
import { FaultCluster } from './fault-cluster';
import { ServiceProcess, UnexpectedExit } from './service-process';

/** The services that consume the lifecycle topic (membership only produces it). */
export const ConsumingServices = ['directory', 'notifications', 'reporting'] as const satisfies readonly ServiceName[];

export const FAULTS_JWT_SECRET = 'faults-only-jwt-secret-0123456789';
export const FAULTS_COORDINATOR_EMAIL = 'coordinator@faults.example';

export interface ValleySystemOptions {
  /** Names the log directory (.data/faults/<name>/) and the topic prefix. */
  name: string;
  /** Admin URL of a database whose name contains "test" (its schemas are dropped). */
  adminUrl?: string;
  kafkaPort?: number;
  kafkaControllerPort?: number;
  /** The broker's data directory (default .data/kafka-faults): one per harness that may run beside another. */
  kafkaDataDir?: string;
  /**
   * A three-broker cluster of its own instead of the single broker (brokers on these ports, controllers
   * on the next three, data in .data/kafka-faults-cluster); topics get three replicas, min.insync.replicas 2.
   */
  kafkaCluster?: { firstPort: number };
  /** Processes per service (default 1), in the same consumer groups. */
  instances?: number;
  /** Extra variables for every service, or per service. */
  env?: Record<string, string>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Node options per service, before its script (a benchmark's --cpu-prof). */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
  /** Run the built services (dist/, `npm run build`) rather than their TypeScript sources. */
  built?: boolean;
}

/** The default fault database: on the server of DATABASE_URL (or the local one), named valley_test_faults. */
export function faultsDatabaseUrl(): string {
  if (process.env.FAULTS_DATABASE_URL) return process.env.FAULTS_DATABASE_URL;
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/valley_test_faults';
  return url.toString();
}

/**
 * The real system for fault runs and the restart benchmark: its own Kafka broker (other ports,
 * own data directory, stopped and started at will), its own database (fresh schemas, every
 * migration), a real SMTP server in this process, and the four services as separate OS processes
 * on free ports. Tracks every process that exits without being asked to.
 */
export class ValleySystem {
  readonly smtp = new SmtpSink();
  readonly unexpectedExits: UnexpectedExit[] = [];
  /** The first instance of each service. */
  readonly services = {} as Record<ServiceName, ServiceProcess>;
  /** Every instance of each service, the first first. */
  readonly instances = {} as Record<ServiceName, ServiceProcess[]>;
  readonly topicPrefix: string;
  readonly coordinatorToken: string;
  readonly logDir: string;
  readonly adminUrl: string;
  readonly databaseName: string;
  /** The single broker, or the cluster (see `broker` and `cluster`). */
  readonly kafkaNodes: FaultBroker | FaultCluster;
  kafka!: KafkaTestClient;
  /** An admin connection to the system's database: terminating sessions, holding locks, reading tables. */
  db!: Client;
  private kafkaAdmin: Admin | null = null;
  private smtpPort = 0;
  private picks = 0;

  private constructor(private readonly options: ValleySystemOptions) {
    this.adminUrl = options.adminUrl ?? faultsDatabaseUrl();
    assertTestDatabase(this.adminUrl);
    this.databaseName = new URL(this.adminUrl).pathname.slice(1);
    this.topicPrefix = `${options.name}-${randomUUID().slice(0, 8)}.`;
    this.coordinatorToken = signToken(FAULTS_JWT_SECRET, 'coordinator@faults', ['coordinator'], 4 * 3600);
    this.logDir = join(REPO_ROOT, '.data', 'faults', options.name);
    const cluster = options.kafkaCluster;
    this.kafkaNodes = cluster
      ? new FaultCluster(
          [cluster.firstPort, cluster.firstPort + 1, cluster.firstPort + 2],
          [cluster.firstPort + 3, cluster.firstPort + 4, cluster.firstPort + 5],
          options.kafkaDataDir ?? join(REPO_ROOT, '.data', 'kafka-faults-cluster'),
        )
      : new FaultBroker(
          options.kafkaPort ?? Number(process.env.FAULTS_KAFKA_PORT || 19092),
          options.kafkaControllerPort ?? Number(process.env.FAULTS_KAFKA_CONTROLLER_PORT || 19093),
          options.kafkaDataDir ?? join(REPO_ROOT, '.data', 'kafka-faults'),
        );
  }

  /** The single broker (a system started without `kafkaCluster`). */
  get broker(): FaultBroker {
    if (!(this.kafkaNodes instanceof FaultBroker)) throw new Error('this system runs on a cluster: use .cluster');
    return this.kafkaNodes;
  }

  /** The three-broker cluster (a system started with `kafkaCluster`). */
  get cluster(): FaultCluster {
    if (!(this.kafkaNodes instanceof FaultCluster)) throw new Error('this system runs on one broker: use .broker');
    return this.kafkaNodes;
  }

  /** Every service process, each instance of each service. */
  get processes(): ServiceProcess[] {
    return ServiceNames.flatMap((service) => this.instances[service]);
  }

  /** Everything, ready: each service's /health answers 200. */
  static async start(options: ValleySystemOptions): Promise<ValleySystem> {
    const system = new ValleySystem(options);
    try {
      await system.boot();
    } catch (error) {
      await system.stop().catch(() => undefined);
      throw error;
    }
    return system;
  }

  private async boot(): Promise<void> {
    rmSync(this.logDir, { recursive: true, force: true });
    mkdirSync(this.logDir, { recursive: true });
    // The database and the broker get ready side by side.
    await Promise.all([
      (async () => {
        await resetSchemas(this.adminUrl);
        for (const service of ServiceNames) await migrateService(this.adminUrl, service);
      })(),
      this.kafkaNodes.startFresh(),
    ]);
    this.db = new Client({ connectionString: this.adminUrl, application_name: 'valley-faults-admin' });
    await this.db.connect();
    this.smtpPort = await this.smtp.start();
    this.kafka = new KafkaTestClient(this.kafkaNodes.bootstrap.split(','), this.topicPrefix);
    const replicated =
      this.kafkaNodes instanceof FaultCluster ? { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' } : {};

    for (const service of ServiceNames)
      for (let instance = 1; instance <= (this.options.instances ?? 1); instance++) {
        const port = await freePort();
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          NODE_ENV: 'test',
          PORT: String(port),
          METRICS_PORT: String(await freePort()),
          METRICS_HOST: '127.0.0.1',
          DATABASE_URL: serviceDatabaseUrl(this.adminUrl, service),
          KAFKA_BROKERS: this.kafkaNodes.bootstrap,
          KAFKA_TOPIC_PREFIX: this.topicPrefix,
          KAFKA_PARTITIONS: '3',
          ...replicated,
          AUTH_JWT_SECRET: FAULTS_JWT_SECRET,
          LOG_LEVEL: process.env.FAULTS_LOG_LEVEL || 'warn',
          RATE_LIMITS: 'off',
          ...(service === 'notifications'
            ? {
                SMTP_URL: `smtp://127.0.0.1:${this.smtpPort}`,
                COORDINATOR_EMAIL: FAULTS_COORDINATOR_EMAIL,
                MAIL_RETRY_DELAY_MS: '200',
                MAIL_RATE_PER_SECOND: '100',
                NOTIFICATIONS_PUBLIC_URL: `http://127.0.0.1:${port}`,
              }
            : {}),
          ...this.options.env,
          ...this.options.serviceEnv?.[service],
        };
        const serviceProcess = new ServiceProcess(
          service,
          port,
          env,
          join(this.logDir, instance === 1 ? `${service}.log` : `${service}-${instance}.log`),
          (exit) => this.unexpectedExits.push(exit),
          this.options.nodeArgs?.[service],
          instance,
          this.options.built,
        );
        this.instances[service] = [...(this.instances[service] ?? []), serviceProcess];
        if (instance === 1) this.services[service] = serviceProcess;
      }
    for (const serviceProcess of this.processes) serviceProcess.start();
    await Promise.all(this.processes.map((serviceProcess) => serviceProcess.waitReady(180_000)));
  }

  service(name: ServiceName): ServiceProcess {
    return this.services[name];
  }

  /** The running instances of a service in turn (with one instance: that one, running or not). */
  pick(name: ServiceName): ServiceProcess {
    const running = this.instances[name].filter((instance) => instance.running);
    const from = running.length > 0 ? running : this.instances[name];
    return from[this.picks++ % from.length];
  }

  /** kill -9, then start again at once; resolves when the new process is spawned. */
  async killAndRestart(name: ServiceName): Promise<void> {
    await this.services[name].kill9();
    this.services[name].start();
  }

  /**
   * Every service process's /health is 200 (ready), or the first one that is not, with its body.
   * A process the harness killed or stopped is left out when another instance of it runs.
   */
  async notReady(): Promise<string | null> {
    const expected = this.processes.filter(
      (p) => !p.stoppedOnPurpose || this.processes.every((other) => other.service !== p.service || !other.running),
    );
    for (const service of expected) {
      try {
        const response = await fetch(service.url('/health'), { signal: AbortSignal.timeout(3_000) });
        if (response.status !== 200) return `${service.name}: ${response.status} ${whatIsDown(await response.text())}`;
      } catch (error) {
        return `${service.name}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return null;
  }

  /** Takes the SMTP server away (listener closed; new connections are refused). */
  smtpDown(): Promise<void> {
    return this.smtp.stop();
  }

  /** Brings the SMTP server back on the same port, with every message it kept. */
  async smtpUp(): Promise<void> {
    await this.smtp.start(this.smtpPort);
  }

  /** Messages on each service's dead-letter topic (the topic's offsets, summed over partitions). */
  async deadLetterCounts(): Promise<Record<ServiceName, number>> {
    const admin = await this.admin();
    const counts = {} as Record<ServiceName, number>;
    for (const service of ServiceNames) {
      const offsets = await admin.fetchTopicOffsets(this.topicPrefix + deadLetterTopic(service));
      counts[service] = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    }
    return counts;
  }

  /**
   * Ends the database sessions of the given services' roles, in this system's database only
   * (never another's: other suites use the same roles on the same server). Returns how many.
   */
  async terminateSessions(services: readonly ServiceName[]): Promise<number> {
    const { rows } = await this.db.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended
       FROM pg_stat_activity
       WHERE datname = $1 AND usename = ANY($2::text[]) AND pid <> pg_backend_pid()`,
      [this.databaseName, services.map(serviceRole)],
    );
    return rows[0].ended as number;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(
      Object.values(this.instances)
        .flat()
        .map((service) => service.stop()),
    );
    await this.kafka?.close().catch(() => undefined);
    await this.kafkaAdmin?.disconnect().catch(() => undefined);
    await this.db?.end().catch(() => undefined);
    await this.smtp.stop().catch(() => undefined);
    await this.kafkaNodes.remove();
  }

  private async admin(): Promise<Admin> {
    if (!this.kafkaAdmin) {
      const kafka = new Kafka({
        clientId: 'valley-faults',
        brokers: this.kafkaNodes.bootstrap.split(','),
        logLevel: logLevel.NOTHING,
      });
      this.kafkaAdmin = kafka.admin();
      await this.kafkaAdmin.connect();
    }
    return this.kafkaAdmin;
  }
}

/** A /health body's failing checks first (Terminus's `error`), so that a cut report still names them. */
function whatIsDown(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (parsed.error && typeof parsed.error === 'object') return `down: ${JSON.stringify(parsed.error).slice(0, 800)}`;
  } catch {
    // not JSON: the body as it is
  }
  return body.slice(0, 800);
}
