/**
 * Where one consumer stands, for /health:
 * - `joining`: started, waiting for the group to hand it partitions (after a restart this lasts
 *   until the group gives up on the instance that died, KAFKA_SESSION_TIMEOUT_MS at most);
 * - `running`: consuming;
 * - `stalled`: waiting out a failure of the infrastructure (the database, the broker); its
 *   partition waits, in order, and goes on by itself when the failure passes;
 *
 * When the Kafka client gives up on a consumer, a new one starts in the same process: it is
 * `joining` again, with the reason, and `restarts` counts how often that happened.
 */
export type ConsumerState = 'joining' | 'running' | 'stalled';

export interface ConsumerStatusView {
  state: ConsumerState;
  /** When it entered this state. */
  since: string;
  /** Why it is stalled or joining again, or what it is retrying. */
  reason?: string;
  /** Tries since it stalled. */
  retries?: number;
  /** New consumers started because the client gave up on the one before. */
  restarts?: number;
}

export class ConsumerStatus {
  private state: ConsumerState = 'joining';
  private since = new Date();
  private reason: string | undefined;
  private retries = 0;
  private restarts = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  joined(): void {
    if (this.state === 'joining') this.enter('running');
  }

  /** It could not connect or subscribe yet; it keeps trying, still joining. */
  cannotStart(reason: string): void {
    if (this.state !== 'joining') this.enter('joining');
    this.reason = reason;
  }

  /** A try failed because of the infrastructure; the consumer waits and tries again. */
  stalled(reason: string): void {
    if (this.state !== 'stalled') this.enter('stalled');
    this.reason = reason;
    this.retries++;
  }

  /** Events are applied again (or were never held up). */
  flowing(): void {
    if (this.state === 'stalled') this.enter('running');
  }

  /** The client gave up on the consumer (it stopped); a new one is starting. */
  restarting(reason: string): void {
    this.enter('joining');
    this.reason = `the Kafka client gave up (${reason}); a new consumer is joining`;
    this.restarts++;
  }

  get isReady(): boolean {
    return this.state === 'running';
  }

  view(): ConsumerStatusView {
    return {
      state: this.state,
      since: this.since.toISOString(),
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.state === 'stalled' ? { retries: this.retries } : {}),
      ...(this.restarts > 0 ? { restarts: this.restarts } : {}),
    };
  }

  private enter(state: ConsumerState): void {
    this.state = state;
    this.since = this.now();
    this.reason = undefined;
    this.retries = 0;
  }
}
