import { LogSink } from '../logging';
import { pollingBackoffDelay } from '../polling/polling-worker';

/** Where committed offsets go: kafkajs's `consumer.commitOffsets` (the next offset to read, per partition). */
export interface OffsetCommitClient {
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
}

export interface OffsetCommitterOptions {
  /** How long processed offsets may wait to be committed together (default 100 ms). */
  delayMs?: number;
  logger: LogSink;
  groupId: string;
}

const DEFAULT_DELAY_MS = 100;

/**
 * Commits a consumer group's processed offsets beside its fetch loop instead of in it.
 *
 * kafkajs with `autoCommit` commits after every batch and fetches again only once that commit is
 * acknowledged, so every event that arrives while a batch is applied also waits for a round trip
 * to the group coordinator. Here a processed offset is recorded and committed within `delayMs`,
 * one commit for everything processed meanwhile, at most one commit in flight.
 *
 * A commit that is lost (a crash, a rebalance) only moves the group back: the events after it are
 * delivered again, and every consumer drops what it already applied (the inbox). `flush()` commits
 * what is pending; a consumer stopping calls it while it is still a member of its group.
 */
export class OffsetCommitter {
  /** topic:partition → the next offset to read, processed but not yet committed. */
  private readonly pending = new Map<string, { topic: string; partition: number; offset: bigint }>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly delayMs: number;
  /** Failed commits in a row: the next waits longer (up to 5 s) while the coordinator cannot take them. */
  private failures = 0;
  private closed = false;

  constructor(
    private readonly client: OffsetCommitClient,
    private readonly options: OffsetCommitterOptions,
  ) {
    this.delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
  }

  /** `offset` of `topic`/`partition` is applied: the group may move past it. */
  processed(topic: string, partition: number, offset: string): void {
    const key = `${topic}:${partition}`;
    const next = BigInt(offset) + 1n;
    const current = this.pending.get(key);
    if (!current || current.offset < next) this.pending.set(key, { topic, partition, offset: next });
    this.schedule();
  }

  /** The group now holds only `assigned` (topic → partitions): offsets of partitions it lost are not committed. */
  retain(assigned: Record<string, number[]>): void {
    for (const [key, { topic, partition }] of this.pending) {
      if (!assigned[topic]?.includes(partition)) this.pending.delete(key);
    }
  }

  /** Commits everything processed so far, and waits for it (and for a commit already on its way). */
  async flush(): Promise<void> {
    await this.inFlight;
    // After the commit in flight: a failed one schedules its retry, which this commit replaces.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size > 0) await this.commit();
  }

  /** Nothing more is committed (the consumer is gone); what is pending is dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.closed) return;
    const delay = pollingBackoffDelay({ initialDelayMs: this.delayMs, maxDelayMs: 5_000 }, this.failures + 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.commit();
    }, delay);
    this.timer.unref();
  }

  private commit(): Promise<void> {
    const offsets = [...this.pending.values()];
    this.pending.clear();
    const commit = this.client
      .commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: offset.toString() })))
      .then(() => {
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        // Kept unless something newer was processed meanwhile; the next commit takes it (or the group moved on).
        for (const entry of offsets) {
          const key = `${entry.topic}:${entry.partition}`;
          if (!this.pending.has(key)) this.pending.set(key, entry);
        }
        if (this.failures === 1 || this.failures % 10 === 0) {
          this.options.logger.warn(
            { err: error, groupId: this.options.groupId, failures: this.failures },
            'committing offsets failed; the next commit carries them',
          );
        }
      })
      .finally(() => {
        this.inFlight = null;
        if (this.pending.size > 0) this.schedule();
      });
    this.inFlight = commit;
    return commit;
  }
}
