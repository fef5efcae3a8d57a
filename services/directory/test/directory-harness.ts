import { INestApplication } from '@nestjs/common';
import { TypedEvent } from '@valley/contracts';
import { serviceDatabaseUrl } from '@valley/platform';
import { startTestApp } from '@valley/platform/testing';
import { KafkaTestClient, MEMBERSHIP_TOPIC, uniqueTopicPrefix } from '@valley/testing';
import { Client } from 'pg';
import { DirectoryAppModule } from '../src/app.module';
import { DirectoryConfig } from '../src/directory.config';
import { DIRECTORY_CONSUMER } from '../src/projection';

/** The directory's real app on the test Postgres and Kafka, plus direct access to both. */
export class DirectoryHarness {
  app!: INestApplication;
  kafka!: KafkaTestClient;
  db!: Client;
  readonly prefix = uniqueTopicPrefix();
  private env: Record<string, string> = {};

  /** `env` adds to (or overrides) the test settings, for every start of the app. */
  async start(env: Record<string, string> = {}): Promise<this> {
    this.env = env;
    this.kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), this.prefix);
    this.db = new Client({ connectionString: serviceDatabaseUrl(process.env.VALLEY_TEST_DATABASE_URL!, 'directory') });
    await this.db.connect();
    await this.startApp();
    return this;
  }

  async startApp(): Promise<void> {
    this.app = await startTestApp({
      service: 'directory',
      configClass: DirectoryConfig,
      module: (c) => DirectoryAppModule.forRoot(c),
      topicPrefix: this.prefix,
      http: DirectoryAppModule.http,
      env: this.env,
    });
  }

  http() {
    return this.app.getHttpServer();
  }

  /**
   * Publishes events as membership would (keyed by member), one send per event so that each
   * offset is known, and waits until the directory's consumer group has committed past all of them.
   */
  async publish(...events: (TypedEvent | string)[]): Promise<void> {
    const last = new Map<number, string>();
    for (const event of events) {
      const value = typeof event === 'string' ? event : JSON.stringify(event);
      const key = typeof event === 'string' ? (JSON.parse(event) as TypedEvent).aggregateId : event.aggregateId;
      const [sent] = await this.kafka.produce(MEMBERSHIP_TOPIC, [{ key, value }]);
      last.set(sent.partition, sent.baseOffset);
    }
    for (const [partition, offset] of last) {
      await this.kafka.waitForGroupPast(DIRECTORY_CONSUMER, MEMBERSHIP_TOPIC, partition, offset);
    }
  }

  /** Publishes many events in one send (whole consumer batches) and waits until all are processed. */
  async publishBatch(events: TypedEvent[]): Promise<void> {
    await this.kafka.produce(
      MEMBERSHIP_TOPIC,
      events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
    );
    const last = new Map<number, number>();
    for (const m of await this.kafka.readAll(MEMBERSHIP_TOPIC, 0)) {
      last.set(m.partition, Math.max(last.get(m.partition) ?? 0, Number(m.offset)));
    }
    for (const [partition, offset] of last) {
      await this.kafka.waitForGroupPast(DIRECTORY_CONSUMER, MEMBERSHIP_TOPIC, partition, String(offset), 60_000);
    }
  }

  /**
   * The stored rows of these members, as the projection wrote them (for comparisons), without
   * `changed_xid`: which transaction wrote a row is not part of its content.
   */
  async rows(memberIds: string[]): Promise<Record<string, unknown>[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM directory.directory_entries WHERE member_id = ANY($1::uuid[]) ORDER BY member_id',
      [memberIds],
    );
    return rows.map(({ changed_xid: _written, ...content }) => content);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.kafka?.close();
    await this.db?.end();
  }
}
