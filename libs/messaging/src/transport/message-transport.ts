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
  onBatch(messages: IncomingMessage[], control: BatchControl): Promise<void>;
  /** The client gave up restarting the consumer: the process must not sit idle. */
  onFatal(error: Error): void;
}

export interface RunningConsumer {
  stop(): Promise<void>;
  /** True while the consumer is connected and has not crashed for good. */
  isHealthy(): boolean;
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
  /** Cheap round trip to the cluster, for readiness checks. */
  ping(): Promise<void>;
  ensureTopics(topics: { topic: string; partitions: number }[]): Promise<void>;
  close(): Promise<void>;
}
