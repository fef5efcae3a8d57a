import { createHash } from 'node:crypto';
import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { ServiceName } from '@valley/contracts';
import { classifyFailure } from '@valley/messaging';
import { KafkaTestClient, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { startService } from '../../support/service-apps';
import { OpenApiDocument } from './openapi-arbitraries';

export const SERVICES = ['membership', 'directory', 'notifications', 'reporting'] as const satisfies ServiceName[];
export type Service = (typeof SERVICES)[number];

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body of a JSON answer. */
  json?: unknown;
}

export interface Outgoing {
  method: string;
  /** Path and query string, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface DeadLetter {
  topic: string;
  key: string | null;
  consumerGroup: string;
  reason: string;
}

/** Rows of each table of a schema (count and a hash of their text) and the end offsets of the suite's topics. */
export interface State {
  tables: Record<string, string>;
  topics: Record<string, string>;
  /** md5 of each row's text, per table (of the one service a state was taken of). */
  rows?: Record<string, string[]>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The four services running in this process against the real Postgres and Kafka (one topic prefix,
 * so they talk to each other), an SMTP server for notifications, and what a property needs around
 * them: real HTTP over keep-alive connections, a snapshot of a service's schema and of the topics,
 * and a wait until every consequence of a change has settled everywhere.
 */
export class PropertySystem {
  readonly prefix = uniqueTopicPrefix();
  readonly apps = {} as Record<Service, INestApplication>;
  readonly docs = {} as Record<Service, OpenApiDocument>;
  private readonly smtp = new SmtpSink();
  private readonly agents = {} as Record<Service, Agent>;
  private readonly tables = new Map<Service, string[]>();
  private db!: Client;
  /** When it began: what it created in the shared database since then is its own. */
  private readonly startedAt = new Date();
  private admin!: Admin;

  async start(): Promise<this> {
    await this.smtp.start();
    // Addresses starting with `refused` are refused for good: failed deliveries, to retry.
    this.smtp.respondWith(({ to }) =>
      to.some((address) => address.startsWith('refused')) ? { code: 550, message: '5.1.1 no such mailbox' } : undefined,
    );
    const env: Record<Service, Record<string, string>> = {
      membership: {},
      // A partner's endpoint the suite registers is never there: one try each, soon over, so the
      // system settles (a retry in the background would change a table during a later property).
      directory: { WEBHOOK_MAX_ATTEMPTS: '1', WEBHOOK_TIMEOUT_MS: '1000' },
      reporting: {},
      notifications: {
        SMTP_URL: this.smtp.url,
        MAIL_MAX_ATTEMPTS: '2',
        MAIL_RETRY_DELAY_MS: '100',
        MAIL_RATE_PER_SECOND: '1000',
      },
    };
    const apps = await Promise.all(SERVICES.map((service) => startService(service, this.prefix, env[service])));
    SERVICES.forEach((service, i) => {
      this.apps[service] = apps[i];
      this.agents[service] = new Agent({ keepAlive: true, maxSockets: 2 });
    });
    this.db = new Client({ connectionString: process.env.VALLEY_TEST_DATABASE_URL });
    await this.db.connect();
    this.admin = new Kafka({
      brokers: process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await this.admin.connect();
    for (const service of SERVICES) {
      const answer = await this.send(service, { method: 'GET', path: '/docs/openapi.json', headers: {} });
      if (answer.status !== 200) throw new Error(`${service}: GET /docs/openapi.json answered ${answer.status}`);
      this.docs[service] = answer.json as OpenApiDocument;
      const { rows } = await this.db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations' ORDER BY 1`,
        [service],
      );
      this.tables.set(
        service,
        rows.map((r) => r.name),
      );
    }
    return this;
  }

  async stop(): Promise<void> {
    Object.values(this.agents).forEach((agent) => agent.destroy());
    await Promise.all(Object.values(this.apps).map((app) => app.close()));
    await this.admin?.disconnect();
    // The partner subscriptions it made would hear of every later suite's members in the shared
    // database (to hosts that do not resolve here), and keep the dispatchers of those suites busy.
    await this.db
      ?.query(`DELETE FROM directory.webhook_subscriptions WHERE created_at >= $1`, [this.startedAt])
      .catch(() => undefined);
    await this.db?.end();
    await this.smtp.stop();
  }

  port(service: Service): number {
    return (this.apps[service].getHttpServer().address() as { port: number }).port;
  }

  /**
   * One request over the service's keep-alive agent. Resolves with the whole answer; rejects with
   * the socket's error when the connection was reset or closed before the answer was complete. A
   * request that fails on a reused idle socket (the server closed it as the request went out, the
   * race Node documents for keep-alive clients) is sent once more on a new connection.
   */
  send(service: Service, outgoing: Outgoing, retried = false): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const body = outgoing.body === undefined ? undefined : Buffer.from(outgoing.body, 'utf8');
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: this.port(service),
          method: outgoing.method,
          path: outgoing.path,
          agent: this.agents[service],
          headers: { ...outgoing.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('the answer was cut off (aborted)')));
          res.on('end', () => {
            if (!res.complete) return reject(new Error('the answer was cut off before its end'));
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            if (/json/.test(String(res.headers['content-type'] ?? ''))) {
              try {
                json = JSON.parse(text);
              } catch {
                return reject(new Error(`a JSON answer that does not parse: ${text.slice(0, 200)}`));
              }
            }
            resolve({ status: res.statusCode!, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && !retried && ['ECONNRESET', 'EPIPE'].includes(error.code ?? '')) {
          resolve(this.send(service, outgoing, true));
          return;
        }
        reject(new Error(`connection error: ${error.code ?? ''} ${error.message}`));
      });
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.end(body);
    });
  }

  /** The service's schema and the suite's topics, now. */
  async state(service: Service): Promise<State> {
    const [rows, topics] = await Promise.all([this.rowHashes(service), this.topicOffsets()]);
    const tables = Object.fromEntries(
      Object.entries(rows).map(([table, hashes]) => [table, `${hashes.length} rows ${md5(hashes.join(','))}`]),
    );
    return { tables, topics, rows };
  }

  /** The rows a change added to each table (their text, cut), and how many it removed. */
  async explain(before: State, after: State): Promise<string[]> {
    const told: string[] = [];
    for (const table of Object.keys(after.rows ?? {})) {
      const was = new Set(before.rows?.[table] ?? []);
      const now = new Set(after.rows?.[table] ?? []);
      const added = [...now].filter((h) => !was.has(h));
      const removed = [...was].filter((h) => !now.has(h)).length;
      if (added.length === 0 && removed === 0) continue;
      const [schema, name] = table.split('.');
      const { rows } = await this.db.query<{ text: string }>(
        `SELECT left(t::text, 400) AS text FROM "${schema}"."${name}" t WHERE md5(t::text) = ANY($1)`,
        [added],
      );
      told.push(`${table}: ${removed} rows gone, now ${rows.map((r) => r.text).join(' | ') || 'nothing new'}`);
    }
    return told;
  }

  /** What changed between two states, in words (empty: nothing). */
  static changes(before: State, after: State): string[] {
    const changed: string[] = [];
    for (const kind of ['tables', 'topics'] as const) {
      const names = new Set([...Object.keys(before[kind]), ...Object.keys(after[kind])]);
      for (const name of names) {
        if (before[kind][name] !== after[kind][name]) {
          changed.push(
            `${kind === 'tables' ? 'table' : 'topic'} ${name}: ${before[kind][name]} → ${after[kind][name]}`,
          );
        }
      }
    }
    return changed;
  }

  /** Time spent in settle(), for the summary. */
  settledMs = 0;

  /**
   * Waits until the consequences of a change have run everywhere: no unpublished outbox rows,
   * every consumer group of the suite caught up with its topics, and every schema and topic
   * unchanged over two looks 100 ms apart.
   */
  async settle(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    try {
      await this.settleWithin(timeoutMs);
    } finally {
      this.settledMs += Date.now() - started;
    }
  }

  private async settleWithin(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let previous = '';
    let quiet = 0;
    let last = '';
    while (quiet < 2) {
      const look = await this.lookAround();
      if (look === 'broker busy') {
        // A fresh broker answers "the coordinator is loading" for a while: look again.
        quiet = 0;
        if (Date.now() > deadline) throw new Error(`the services did not settle within ${timeoutMs} ms (broker busy)`);
        await sleep(100);
        continue;
      }
      const [digests, topics, lag, unpublished] = look;
      const now = JSON.stringify([digests, topics]);
      quiet = now === previous && lag === 0 && unpublished === 0 ? quiet + 1 : 0;
      previous = now;
      last = `consumer lag ${lag}, unpublished outbox rows and pending deliveries ${unpublished}`;
      if (quiet < 2) {
        if (Date.now() > deadline) throw new Error(`the services did not settle within ${timeoutMs} ms (${last})`);
        await sleep(100);
      }
    }
  }

  private async lookAround(): Promise<
    [Record<string, string>[], Record<string, string>, number, number] | 'broker busy'
  > {
    try {
      return await Promise.all([
        Promise.all(SERVICES.map((s) => this.tableDigests(s))),
        this.topicOffsets(),
        this.consumerLag(),
        this.waitingWork(),
      ]);
    } catch (e) {
      if (classifyFailure(e) === 'infrastructure') return 'broker busy';
      throw e;
    }
  }

  /**
   * Messages on the suite's dead-letter topics beyond the offsets of `since`, each as its topic,
   * original key and the reason in its headers.
   */
  async newDeadLetters(since: State): Promise<DeadLetter[]> {
    const now = await this.topicOffsets();
    const grown = Object.keys(now).filter(
      (topic) => topic.includes('dead-letter') && now[topic] !== since.topics[topic],
    );
    const found: DeadLetter[] = [];
    for (const topic of grown) {
      const before = (since.topics[topic] ?? '').split(',').map(Number);
      const client = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), this.prefix);
      try {
        for (const message of await client.readAll(topic, 200)) {
          if (Number(message.offset) < (before[message.partition] || 0)) continue;
          found.push({
            topic,
            key: message.key,
            consumerGroup: message.headers['x-dead-letter-consumer-group'] ?? '',
            reason: message.headers['x-dead-letter-reason'] ?? '',
          });
        }
      } finally {
        await client.close();
      }
    }
    return found;
  }

  /** Rows of a table, straight from the database (the admin connection). */
  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  private async rowHashes(service: Service): Promise<Record<string, string[]>> {
    const tables = this.tables.get(service) ?? [];
    if (tables.length === 0) return {};
    const { rows } = await this.db.query<{ name: string; hashes: string[] }>(
      tables
        .map(
          (table) =>
            `SELECT '${table}' AS name, coalesce(array_agg(md5(t::text) ORDER BY md5(t::text)), '{}') AS hashes
             FROM "${service}"."${table}" t`,
        )
        .join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [`${service}.${r.name}`, r.hashes]));
  }

  private async tableDigests(service: Service): Promise<Record<string, string>> {
    const tables = this.tables.get(service) ?? [];
    if (tables.length === 0) return {};
    const { rows } = await this.db.query<{ name: string; digest: string }>(
      tables
        .map(
          (table) =>
            `SELECT '${table}' AS name, count(*) || ' rows ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') AS digest
             FROM "${service}"."${table}" t`,
        )
        .join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [`${service}.${r.name}`, r.digest]));
  }

  private topics: { names: string[]; at: number } = { names: [], at: 0 };

  /** The suite's topics, listed again at most every 2 s (a topic that appears meanwhile holds nothing yet). */
  private async suiteTopics(): Promise<string[]> {
    if (Date.now() - this.topics.at > 2_000) {
      const names = (await this.admin.listTopics()).filter((t) => t.startsWith(this.prefix)).sort();
      this.topics = { names, at: Date.now() };
    }
    return this.topics.names;
  }

  private async topicOffsets(): Promise<Record<string, string>> {
    const topics = await this.suiteTopics();
    const offsets = await Promise.all(topics.map((topic) => this.admin.fetchTopicOffsets(topic)));
    return Object.fromEntries(
      topics.map((topic, i) => [
        topic.slice(this.prefix.length),
        offsets[i]
          .sort((a, b) => a.partition - b.partition)
          .map((p) => p.high)
          .join(','),
      ]),
    );
  }

  /** Messages the suite's consumer groups have yet to commit, over the topics they have committed on. */
  private async consumerLag(): Promise<number> {
    const { groups } = await this.admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(this.prefix));
    let lag = 0;
    for (const groupId of ours) {
      const committed = await this.admin.fetchOffsets({ groupId });
      for (const { topic, partitions } of committed) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        for (const { partition, offset } of partitions) {
          const end = Number(ends.find((e) => e.partition === partition)?.high ?? 0);
          lag += Math.max(0, end - Math.max(Number(offset), 0));
        }
      }
    }
    return lag;
  }

  /** Outbox rows not yet published, and emails not yet sent nor failed. */
  private async waitingWork(): Promise<number> {
    const counts = SERVICES.filter((service) => (this.tables.get(service) ?? []).includes('outbox_messages')).map(
      (service) => `SELECT count(*)::int AS n FROM "${service}".outbox_messages WHERE published_at IS NULL`,
    );
    counts.push(`SELECT count(*)::int AS n FROM notifications.deliveries WHERE status = 'pending'`);
    // A paused subscription's pending deliveries wait for a coordinator, not for the system.
    counts.push(
      `SELECT count(*)::int AS n FROM directory.webhook_deliveries d
       JOIN directory.webhook_subscriptions s ON s.id = d.subscription_id AND s.status = 'active'
       WHERE d.status = 'pending'`,
    );
    const { rows } = await this.db.query<{ n: number }>(counts.join(' UNION ALL '));
    return rows.reduce((sum, row) => sum + row.n, 0);
  }
}
