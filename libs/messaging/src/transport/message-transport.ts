/**
 * Our own small messaging interface. Services and the rest of this library talk to
 * Kafka only through it, so that kafkajs (in maintenance mode) can be swapped for
 * another client by writing one new implementation of these types.
 */

export interface OutgoingMessage {
  topic: string;
  key: string | null;
  /** Bytes are passed through untouched (dead letters keep the original payload exactly). */
  value: string | Buffer | null;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** When the record was produced (Kafka CreateTime, ms since the epoch), where the client says. */
  timestamp?: number;
}

export interface MessageProducer {
  /** Resolves once every message is acknowledged by all in-sync replicas; rejects otherwise. */
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** What a batch handler gets to keep the group session alive and mark progress. */
export interface BatchControl {
  /** Marks this message (and all before it in the partition) as done. */
  markProcessed(message: IncomingMessage): void;
  /** Keeps the group membership alive while a batch is genuinely progressing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was taken away: stop early. */
  isActive(): boolean;
}

export interface ConsumerSubscription {
  groupId: string;
  topics: string[];
  /** Where a brand-new group starts: the whole history (read models are built from it). */
  fromBeginning: boolean;
  /**
   * How long the group waits for a member that stopped heartbeating before giving its partitions
   * to the others (and so how long a restarted instance waits to be given them).
   */
  sessionTimeoutMs: number;
  /** Partitions whose batches are handed over at once (1 unless said); each partition's stay in order. */
  partitionsConcurrently?: number;
  onBatch(messages: IncomingMessage[], control: BatchControl): Promise<void>;
  /** The group handed this consumer its partitions (after every rebalance). */
  onJoined(): void;
  /** The client stopped the consumer for good and will not restart it: the host starts a new one. */
  onFatal(error: Error): void;
}

/**
 * A consumer that was connected and subscribed; it joins its group in the background (after a
 * restart that takes up to the session timeout: nothing else waits for it).
 */
export interface RunningConsumer {
  stop(): Promise<void>;
}

export interface ReplayProgress {
  /** Messages read so far. */
  read: number;
  /** Messages on the topics when the replay started: the replay stops there. */
  total: number;
}

export interface ReplayOptions {
  /**
   * Partitions whose batches are handled at the same time (default 1). More than one only for a
   * handler whose batches of different partitions touch different rows (different keys).
   */
  partitionsConcurrently?: number;
}

/** One partition of a consumer group's topics: where it ends and where the group has got to. */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The offset the next message produced to the partition will get (the high watermark). */
  latestOffset: number;
  /** The group's committed offset (the next message it will read), or null when it has committed none. */
  committedOffset: number | null;
  /** Messages behind: latest minus committed (minus the earliest retained offset when none is committed). */
  lag: number;
}

/** A topic as a service creates it when it is missing. */
export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Default 1: the single development broker. */
  replicationFactor?: number;
  /** Default: the broker's min.insync.replicas. */
  minInsyncReplicas?: number;
  /** Default -1: the whole history is kept. */
  retentionMs?: number;
  /** Further topic configuration (cleanup.policy for a compacted topic, and its settings). */
  config?: Readonly<Record<string, string | number>>;
}

export interface MessageTransport {
  createProducer(): Promise<MessageProducer>;
  startConsumer(subscription: ConsumerSubscription): Promise<RunningConsumer>;
  /**
   * Reads the topics from the beginning up to where they ended when the call was made, then
   * stops: for rebuilding a read model from the history. Commits nothing, leaves no group.
   */
  replay(
    topics: string[],
    onBatch: (messages: IncomingMessage[], control: BatchControl) => Promise<void>,
    onProgress?: (progress: ReplayProgress) => void,
    options?: ReplayOptions,
  ): Promise<ReplayProgress>;
  /** Each group's offsets on each partition of its topics, for lag metrics (a few admin requests). */
  consumerOffsets(groups: { groupId: string; topics: string[] }[]): Promise<Map<string, PartitionOffsets[]>>;
  /** Cheap round trip to the cluster, for readiness checks. */
  ping(): Promise<void>;
  /** Creates the topics that are missing; `retentionMs` -1 (the default) keeps every message. */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  close(): Promise<void>;
}
