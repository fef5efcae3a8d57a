import {
  Admin,
  ISocketFactory,
  Kafka,
  KafkaMessage,
  logLevel,
  LogEntry,
  PartitionMetadata,
  Partitioners,
  Producer,
} from 'kafkajs';
import {
  ConsumerSubscription,
  BatchControl,
  IncomingMessage,
  MessageProducer,
  MessageTransport,
  OutgoingMessage,
  PartitionOffsets,
  ReplayOptions,
  ReplayProgress,
  RunningConsumer,
  TopicSpec,
} from './message-transport';
import { randomUUID } from 'node:crypto';
import { InfrastructureError } from '../failures/failure-kind';
import { LogSink } from '../logging';
import { OffsetCommitter } from './offset-committer';
import { ProducerClient, ReplacingProducer } from './replacing-producer';

export interface KafkajsTransportOptions {
  clientId: string;
  brokers: string[];
  /** Prepended to every topic name; isolates test runs or environments sharing one cluster. */
  topicPrefix?: string;
  logger: LogSink;
  /** A send not settled by then fails and its producer is replaced (default 30 s, kafkajs's own request timeout). */
  sendTimeoutMs?: number;
  /** How the client opens its connections (kafkajs's own option); tests put a faulty network in between. */
  socketFactory?: ISocketFactory;
}

const DEFAULT_SEND_TIMEOUT_MS = 30_000;
/** A stopping consumer waits this long at most for its last commit (the broker may be the reason it stops). */
const FLUSH_ON_STOP_MS = 3_000;

/** Whatever is not committed by then is delivered again to the group's next member (and dropped by its inbox). */
function flushWithin(committer: OffsetCommitter, ms: number): Promise<void> {
  return Promise.race([committer.flush(), new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
}

/** A send that kafkajs reported done without an acknowledgement for every partition it was for. */
export class UnacknowledgedPartitionsError extends InfrastructureError {
  constructor(readonly partitions: string[]) {
    super(`no acknowledgement for ${partitions.join(', ')}: the batch is sent again`);
  }
}

/** The kafkajs implementation of our MessageTransport: the only production file that imports kafkajs. */
export class KafkajsTransport implements MessageTransport {
  private readonly kafka: Kafka;
  private readonly prefix: string;
  private readonly producers = new Set<ReplacingProducer>();
  /** How to stop each running consumer. */
  private readonly consumers = new Set<() => Promise<void>>();
  private admin: Admin | null = null;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionsByTopic = new Map<string, PartitionMetadata[]>();

  constructor(private readonly options: KafkajsTransportOptions) {
    this.prefix = options.topicPrefix ?? '';
    const log = options.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ namespace, level, log: entry }: LogEntry) => {
          const { message, ...rest } = entry;
          const fields = { component: 'kafkajs', namespace, ...rest };
          // A broker's error response (coordinator loading, rebalancing, topic exists) is retried
          // by the client; what finally fails reaches us as an error or a CRASH, logged as error.
          if (level === logLevel.ERROR && namespace !== 'Connection') log.error(fields, message);
          else if (level === logLevel.ERROR) log.warn(fields, message);
          else if (level === logLevel.WARN) log.warn(fields, message);
          else if (level === logLevel.INFO) log.info(fields, message);
          else log.debug(fields, message);
        },
    });
  }

  async createProducer(): Promise<MessageProducer> {
    const producer = await ReplacingProducer.connect({
      connect: () => this.connectProducerClient(),
      sendTimeoutMs: this.options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      logger: this.options.logger,
    });
    this.producers.add(producer);
    return {
      send: (messages) => producer.send(messages),
      disconnect: async () => {
        this.producers.delete(producer);
        await producer.disconnect();
      },
    };
  }

  private async connectProducerClient(): Promise<ProducerClient> {
    // Idempotent, one request in flight, and one send at a time (ReplacingProducer):
    // kafkajs drops messages when concurrent idempotent sends outnumber partitions (kafkajs#1005).
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return { send: (messages) => this.sendAll(producer, messages), disconnect: () => producer.disconnect() };
  }

  /**
   * One request per broker for the whole batch, acknowledged by all in-sync replicas; each
   * message's partition is chosen here (kafkajs's default partitioner, on the topic's partition
   * count) so that every partition written to can be checked against the acknowledgements.
   *
   * Why: when a partition's leader dies mid-send, kafkajs 2.2.4 regroups the partitions by their
   * new leaders on retry but skips every broker that already answered for its own partitions, so a
   * partition that moved to such a broker is never sent, and the send still succeeds (kafkajs#1303,
   * the fix proposed in kafkajs#1798; the cluster tier lost an admission to it). A partition
   * without its acknowledgement fails the send: the caller sends the batch again.
   */
  private async sendAll(producer: Producer, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      const topic = this.prefix + message.topic;
      const list = byTopic.get(topic);
      if (list) list.push(message);
      else byTopic.set(topic, [message]);
    }
    const partitionsOf = await this.partitionMetadata([...byTopic.keys()]);
    const expected = new Set<string>();
    const topicMessages = [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list.map((m) => {
        const partition = this.partitioner({
          topic,
          partitionMetadata: partitionsOf.get(topic)!,
          message: { key: m.key, value: m.value },
        });
        expected.add(`${topic}:${partition}`);
        return { key: m.key, value: m.value, headers: m.headers, partition };
      }),
    }));
    const acknowledged = await producer.sendBatch({ acks: -1, topicMessages });
    const acked = new Set(acknowledged.filter((r) => r.errorCode === 0).map((r) => `${r.topicName}:${r.partition}`));
    const missing = [...expected].filter((partition) => !acked.has(partition));
    if (missing.length > 0) throw new UnacknowledgedPartitionsError(missing);
  }

  /** Each topic's partitions, asked once per topic (a topic's partition count only grows, and rarely). */
  private async partitionMetadata(topics: string[]): Promise<Map<string, PartitionMetadata[]>> {
    const unknown = topics.filter((topic) => !this.partitionsByTopic.has(topic));
    if (unknown.length > 0) {
      const admin = await this.getAdmin();
      const { topics: found } = await admin.fetchTopicMetadata({ topics: unknown });
      for (const topic of found) this.partitionsByTopic.set(topic.name, topic.partitions);
    }
    return new Map(topics.map((topic) => [topic, this.partitionsByTopic.get(topic) ?? []]));
  }

  async startConsumer(subscription: ConsumerSubscription): Promise<RunningConsumer> {
    const consumer = this.kafka.consumer({
      groupId: this.prefix + subscription.groupId,
      sessionTimeout: subscription.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(subscription.sessionTimeoutMs / 10)),
      maxWaitTimeInMs: 250,
      retry: { initialRetryTime: 300, retries: 10 },
    });
    // Processed offsets are committed beside the fetch loop (see OffsetCommitter), not by kafkajs
    // after each batch: the next fetch does not wait for the group coordinator.
    const committer = new OffsetCommitter(consumer, { logger: this.options.logger, groupId: subscription.groupId });
    // Once stopping, whatever the client still reports (a join cut short) is not a crash.
    let stopping = false;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      committer.retain(event.payload.memberAssignment);
      subscription.onJoined();
    });
    // The partitions may move: what was applied is committed before the group assigns them anew
    // (as kafkajs does on a rebalance with autoCommit), so the next owner does not start behind it.
    consumer.on(consumer.events.REBALANCING, () => void committer.flush());
    consumer.on(consumer.events.CRASH, (event) => {
      if (stopping) return;
      const { error, restart } = event.payload;
      this.options.logger.error({ err: error, restart, groupId: subscription.groupId }, 'kafka consumer crashed');
      if (!restart) subscription.onFatal(error);
    });
    let running: Promise<void> = Promise.resolve();
    const stop = async () => {
      stopping = true;
      this.consumers.delete(stop);
      // A consumer cut off while it joins its group goes on joining on a disconnected client (and
      // may even join): let the join finish first, for at most about a session timeout.
      await Promise.race([
        running,
        new Promise((resolve) => setTimeout(resolve, subscription.sessionTimeoutMs + 2_000).unref()),
      ]);
      // What was applied is committed while this is still a member of the group; a batch still
      // being applied commits its own at its end (disconnect waits for it before leaving).
      await flushWithin(committer, FLUSH_ON_STOP_MS);
      await consumer.disconnect();
      committer.close();
    };
    await consumer.connect();
    this.consumers.add(stop);
    await consumer.subscribe({
      topics: subscription.topics.map((topic) => this.prefix + topic),
      fromBeginning: subscription.fromBeginning,
    });
    // run() resolves once the group is joined, which after a restart waits for the old member's
    // session to time out: it goes on in the background (GROUP_JOIN says when it is done).
    running = consumer
      .run({
        autoCommit: false,
        partitionsConsumedConcurrently: subscription.partitionsConcurrently ?? 1,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const messages = this.toIncoming(batch.topic, batch.partition, batch.messages);
          await subscription.onBatch(messages, {
            markProcessed: (message) => {
              resolveOffset(message.offset);
              committer.processed(batch.topic, batch.partition, message.offset);
            },
            heartbeat,
            isActive: () => isRunning() && !isStale(),
          });
          if (stopping) await flushWithin(committer, FLUSH_ON_STOP_MS);
        },
      })
      .catch((error: Error) => {
        if (!stopping) subscription.onFatal(error);
      });
    return { stop };
  }

  async replay(
    topics: string[],
    onBatch: (messages: IncomingMessage[], control: BatchControl) => Promise<void>,
    onProgress?: (progress: ReplayProgress) => void,
    options: ReplayOptions = {},
  ): Promise<ReplayProgress> {
    const admin = await this.getAdmin();
    // Where each partition ends now: the replay stops there; later events are the live consumer's.
    const ends = new Map<string, number>();
    const progress: ReplayProgress = { read: 0, total: 0 };
    const existing = new Set(await admin.listTopics());
    // A topic nobody has created yet has no history to replay.
    for (const topic of topics.filter((t) => existing.has(this.prefix + t))) {
      for (const p of await admin.fetchTopicOffsets(this.prefix + topic)) {
        if (Number(p.high) <= Number(p.low)) continue;
        ends.set(`${this.prefix + topic}:${p.partition}`, Number(p.high));
        progress.total += Number(p.high) - Number(p.low);
      }
    }
    if (ends.size === 0) return progress;

    const groupId = `${this.prefix}replay-${randomUUID()}`;
    // Large fetches: a partition's batch then holds several chunks, and the batch processor decodes
    // the next chunk while the current one is applied (with kafkajs's 1 MB per partition, a batch
    // was about one chunk and decoding waited for the database, and the other way round).
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      maxBytes: 64 * 1024 * 1024,
      maxBytesPerPartition: 16 * 1024 * 1024,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({
        topics: topics.filter((t) => existing.has(this.prefix + t)).map((t) => this.prefix + t),
        fromBeginning: true,
      });
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
        consumer
          .run({
            autoCommit: false,
            partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
              const key = `${batch.topic}:${batch.partition}`;
              const end = ends.get(key);
              if (end === undefined) return;
              const wanted = batch.messages.filter((m) => Number(m.offset) < end);
              if (wanted.length > 0) {
                await onBatch(this.toIncoming(batch.topic, batch.partition, wanted), {
                  markProcessed: (message) => resolveOffset(message.offset),
                  heartbeat,
                  isActive: () => isRunning() && !isStale(),
                });
                progress.read += wanted.length;
                onProgress?.({ ...progress });
              }
              if (Number(batch.lastOffset()) + 1 >= end || wanted.length < batch.messages.length) {
                ends.delete(key);
                if (ends.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return progress;
  }

  async consumerOffsets(groups: { groupId: string; topics: string[] }[]): Promise<Map<string, PartitionOffsets[]>> {
    const admin = await this.getAdmin();
    // Each topic's ends once, however many groups read it.
    const ends = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
    const endsOf = (topic: string) => {
      if (!ends.has(topic)) ends.set(topic, admin.fetchTopicOffsets(this.prefix + topic));
      return ends.get(topic)!;
    };
    const result = new Map<string, PartitionOffsets[]>();
    for (const { groupId, topics } of groups) {
      const committed = await admin.fetchOffsets({
        groupId: this.prefix + groupId,
        topics: topics.map((t) => this.prefix + t),
      });
      const partitions: PartitionOffsets[] = [];
      for (const topic of topics) {
        const byPartition = new Map(
          (committed.find((c) => c.topic === this.prefix + topic)?.partitions ?? []).map((p) => [
            p.partition,
            Number(p.offset),
          ]),
        );
        for (const end of await endsOf(topic)) {
          const latestOffset = Number(end.high);
          const offset = byPartition.get(end.partition);
          const committedOffset = offset === undefined || offset < 0 ? null : offset;
          const lag = Math.max(0, latestOffset - (committedOffset ?? Number(end.low)));
          partitions.push({ topic, partition: end.partition, latestOffset, committedOffset, lag });
        }
      }
      result.set(groupId, partitions);
    }
    return result;
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  /**
   * Creates the topics that are missing. Several services start at once and race to create
   * the same topics, so a failure is retried after checking what exists now.
   */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    for (let attempt = 1; ; attempt++) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter(({ topic }) => !existing.has(this.prefix + topic));
      if (missing.length === 0) return;
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map(
            ({ topic, partitions, replicationFactor = 1, minInsyncReplicas, retentionMs = -1, config }) => ({
              topic: this.prefix + topic,
              numPartitions: partitions,
              replicationFactor,
              configEntries: [
                // Topics keep their whole history unless said otherwise: read models are rebuilt by replaying it.
                { name: 'retention.ms', value: String(retentionMs) },
                ...(minInsyncReplicas ? [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }] : []),
                ...Object.entries(config ?? {}).map(([name, value]) => ({ name, value: String(value) })),
              ],
            }),
          ),
        });
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((stop) => stop()));
    await Promise.allSettled([...this.producers].map((p) => p.disconnect()));
    this.consumers.clear();
    this.producers.clear();
    if (this.admin) await this.admin.disconnect();
    this.admin = null;
  }

  private toIncoming(prefixedTopic: string, partition: number, messages: KafkaMessage[]): IncomingMessage[] {
    const topic = prefixedTopic.slice(this.prefix.length);
    return messages.map((m) => ({
      topic,
      partition,
      offset: m.offset,
      timestamp: Number(m.timestamp),
      key: m.key ? m.key.toString() : null,
      value: m.value,
      headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([name, value]) => [name, String(value ?? '')])),
    }));
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}
