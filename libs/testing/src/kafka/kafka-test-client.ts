import { randomUUID } from 'node:crypto';
import { Admin, ConfigResourceTypes, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

export interface ObservedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Direct access to the real Kafka for tests: produce raw bytes (to redeliver an event or
 * inject a malformed one), read a topic from the beginning, and wait for a consumer group
 * to commit past an offset (proof that a consumer has processed a message).
 */
export class KafkaTestClient {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private admin: Admin | null = null;

  constructor(
    brokers: string[],
    private readonly prefix = '',
  ) {
    this.kafka = new Kafka({
      clientId: `valley-test-${randomUUID().slice(0, 8)}`,
      brokers,
      logLevel: logLevel.NOTHING,
    });
  }

  async produce(topic: string, messages: { key: string; value: string | Buffer; headers?: Record<string, string> }[]) {
    if (!this.producer) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
    }
    const metadata = await this.producer.send({ topic: this.prefix + topic, acks: -1, messages });
    return metadata.map((m) => ({ partition: m.partition, baseOffset: m.baseOffset ?? '0' }));
  }

  /** Everything on a topic right now, read from the beginning with a throwaway group. */
  async readAll(topic: string, settleMs = 1_500): Promise<ObservedMessage[]> {
    const fullTopic = this.prefix + topic;
    const admin = await this.getAdmin();
    const offsets = await admin.fetchTopicOffsets(fullTopic);
    const expected = offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
    const consumer = this.kafka.consumer({ groupId: `valley-test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
    const seen: ObservedMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: fullTopic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic: t, partition, message }) => {
          seen.push({
            topic: t.slice(this.prefix.length),
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v ?? '')])),
          });
        },
      });
      const deadline = Date.now() + 15_000;
      while (seen.length < expected && Date.now() < deadline) await sleep(100);
      // Anything beyond the high-water marks read above would be a late arrival: give it a moment.
      await sleep(settleMs);
    } finally {
      await consumer.disconnect();
    }
    return seen;
  }

  /** Resolves once `groupId` has committed an offset beyond `offset` on that partition. */
  async waitForGroupPast(groupId: string, topic: string, partition: number, offset: string, timeoutMs = 30_000) {
    const admin = await this.getAdmin();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [topicOffsets] = await admin.fetchOffsets({
        groupId: this.prefix + groupId,
        topics: [this.prefix + topic],
      });
      const committed = topicOffsets?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      if (Number(committed) > Number(offset)) return;
      if (Date.now() > deadline) {
        throw new Error(`group ${groupId} did not commit past ${topic}[${partition}]@${offset} (at ${committed})`);
      }
      await sleep(200);
    }
  }

  /** One configuration entry of each topic (un-prefixed names), as the broker reports it. */
  async topicConfig(topics: string[], name: string): Promise<Record<string, string | undefined>> {
    const admin = await this.getAdmin();
    const { resources } = await admin.describeConfigs({
      resources: topics.map((topic) => ({
        type: ConfigResourceTypes.TOPIC,
        name: this.prefix + topic,
        configNames: [name],
      })),
      includeSynonyms: false,
    });
    return Object.fromEntries(
      resources.map((r) => [
        r.resourceName.slice(this.prefix.length),
        r.configEntries.find((e) => e.configName === name)?.configValue,
      ]),
    );
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
