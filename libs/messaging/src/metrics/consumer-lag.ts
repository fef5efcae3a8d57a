import { errorMessage } from '../failures/failure-kind';
import { ConsumerRegistry } from '../nest/consumer-registry';
import { MessageTransport, PartitionOffsets } from '../transport/message-transport';
import { partitionKey } from './consumer-metrics';

export interface ConsumerLagOptions {
  /** Offsets read less than this long ago are reused (a scrape and /health share one read). */
  cacheMs?: number;
  /** How long one read of the offsets may take before it counts as failed. */
  timeoutMs?: number;
  now?: () => number;
}

export interface ConsumerLag {
  /** Each partition of the group's topics, as of `readAt`. */
  partitions: PartitionOffsets[];
  /** Messages behind, all partitions together. */
  messages: number;
  /**
   * How long the oldest event this group has not processed yet has waited, in seconds (0 when
   * it has caught up). For an event the consumer holds (received, not yet applied or
   * dead-lettered): now minus its Kafka timestamp. For a partition that is behind while nothing
   * of it is held (the consumer stopped, stalled before receiving, or is still joining): now
   * minus when its committed offset was last seen to move (or it was first seen behind), a lower
   * bound of the real age with the resolution of the offset reads.
   */
  oldestUnprocessedAgeSeconds: number;
}

export interface ConsumerLagSnapshot {
  /** When the offsets were last read (ISO 8601), or null before the first read succeeded. */
  readAt: string | null;
  /** Why the last read failed (the values are then the last ones read), or null. */
  failing: string | null;
  consumers: Record<string, ConsumerLag>;
}

/**
 * Consumer lag of this process's consumer groups: how many messages each is behind on each
 * partition (latest minus committed offset, read with the transport's admin client), and the
 * age of its oldest unprocessed event. Read when asked (a scrape, /health), at most once per
 * `cacheMs`, bounded in time; a failing read keeps the last values and says why.
 */
export class ConsumerLagMonitor {
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private offsets = new Map<string, PartitionOffsets[]>();
  private readAt: number | null = null;
  private failure: string | null = null;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | null = null;
  /** Per group and partition that is behind: its committed offset, and since when it has been that. */
  private readonly behind = new Map<string, { committed: number | null; since: number }>();

  constructor(
    private readonly transport: MessageTransport,
    private readonly registry: ConsumerRegistry,
    options: ConsumerLagOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 2_000;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The lag of every consumer, reading the offsets again when the last read is older than
   * `cacheMs`. Waits for that read at most `maxWaitMs`; the values are the last read's otherwise.
   * Never rejects.
   */
  async read(maxWaitMs = this.timeoutMs): Promise<ConsumerLagSnapshot> {
    if (!this.refreshing && this.now() - this.lastAttempt >= this.cacheMs) {
      this.lastAttempt = this.now();
      this.refreshing = this.refresh().finally(() => (this.refreshing = null));
    }
    if (this.refreshing) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.refreshing,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
      ]).finally(() => clearTimeout(timer));
    }
    return this.snapshot();
  }

  /** The values as last read, without reading. */
  snapshot(): ConsumerLagSnapshot {
    const now = this.now();
    const consumers: Record<string, ConsumerLag> = {};
    for (const { name, instruments } of this.registry.list()) {
      const partitions = this.offsets.get(name) ?? [];
      const oldest = [...(instruments?.oldestInFlight() ?? new Map<string, number>())];
      const held = new Set(oldest.map(([key]) => key));
      for (const p of partitions) {
        const since = this.behind.get(`${name}|${partitionKey(p)}`)?.since;
        if (p.lag > 0 && since !== undefined && !held.has(partitionKey(p))) oldest.push([partitionKey(p), since]);
      }
      const oldestAt = Math.min(now, ...oldest.map(([, at]) => at));
      consumers[name] = {
        partitions,
        messages: partitions.reduce((sum, p) => sum + p.lag, 0),
        oldestUnprocessedAgeSeconds: Math.max(0, now - oldestAt) / 1000,
      };
    }
    return {
      readAt: this.readAt === null ? null : new Date(this.readAt).toISOString(),
      failing: this.failure,
      consumers,
    };
  }

  private async refresh(): Promise<void> {
    const groups = this.registry
      .list()
      .filter((c) => c.topics.length > 0)
      .map((c) => ({ groupId: c.name, topics: [...c.topics] }));
    try {
      const offsets = groups.length === 0 ? new Map() : await this.withTimeout(this.transport.consumerOffsets(groups));
      const now = this.now();
      for (const [group, partitions] of offsets) {
        for (const p of partitions) {
          const key = `${group}|${partitionKey(p)}`;
          const seen = this.behind.get(key);
          if (p.lag === 0) this.behind.delete(key);
          else if (!seen || seen.committed !== p.committedOffset) {
            this.behind.set(key, { committed: p.committedOffset, since: now });
          }
        }
      }
      for (const key of this.behind.keys()) if (!offsets.has(key.split('|')[0])) this.behind.delete(key);
      this.offsets = offsets;
      this.readAt = now;
      this.failure = null;
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      promise,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
  }
}
