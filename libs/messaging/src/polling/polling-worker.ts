import { classifyFailure, FailureKind, FailureKindsByCode } from '../failures/failure-kind';
import { LogSink } from '../logging';

/**
 * What a round says about the next one: wait this many ms (0: at once, there is more to do), or
 * nothing for the worker's interval.
 */
export type PollingRoundResult = number | void;

export interface PollingBackoff {
  /** The wait after the first failed round; it doubles with each failed round after it. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface PollingWorkerOptions {
  /** Names the worker in its log lines: `${name} failed`, `${name} recovered`. */
  name: string;
  /** The `component` field of its log lines. */
  component: string;
  logger: LogSink;
  /** The wait between rounds when a round asks for none; `wake()` cuts it short. */
  intervalMs: number;
  /** Waits after failed rounds, for as long as the failures last (500 ms doubling to 5 s by default). */
  backoff?: PollingBackoff;
  /** A service's own error codes and the kind each stands for (see classifyFailure). */
  failureKinds?: FailureKindsByCode;
  /** Its waits do not keep the process alive. */
  unref?: boolean;
}

/** Why the rounds fail, since the first failed round after a successful one. */
export interface PollingFailure {
  error: unknown;
  kind: FailureKind;
  /** Failed rounds in a row. */
  rounds: number;
  /** When the first of them failed (ms since the epoch). */
  since: number;
  /** The wait before the next round. */
  retryInMs: number;
}

export const DEFAULT_POLLING_BACKOFF: PollingBackoff = { initialDelayMs: 500, maxDelayMs: 5_000 };

/** The wait after `rounds` failed rounds in a row: initialDelayMs, doubling, capped (no jitter: one worker a process). */
export function pollingBackoffDelay(backoff: PollingBackoff, rounds: number): number {
  return Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** Math.min(Math.max(rounds, 1) - 1, 30));
}

/**
 * Runs `round` over and over, one at a time: at once after `start()`, then after the wait the
 * round asks for (its interval by default), at once after `wake()`, and with a growing wait while
 * rounds fail.
 *
 * A failure is classified once (classifyFailure): the infrastructure's (a lost connection, the
 * broker away) is waited out, logged as a warning; any other (a bug that fails every time) is
 * logged as an error and tried again with the same backoff, since a poller has nothing to
 * dead-letter. `failure` says why it is failing, for /health; a success clears it.
 *
 * `stop()` waits for the round in flight. `runRound()` gives a caller a round that starts after
 * its call, whether or not the loop runs: a call while a round runs shares the one round after it.
 */
export class PollingWorker {
  private started = false;
  private loop: Promise<void> | null = null;
  private current: Promise<PollingRoundResult> | null = null;
  private queued: Promise<PollingRoundResult> | null = null;
  private cutWait: (() => void) | null = null;
  private wokenDuringRound = false;
  private lastFailure: PollingFailure | null = null;
  private lastSuccess: number | null = null;
  private readonly backoff: PollingBackoff;

  constructor(
    private readonly round: () => Promise<PollingRoundResult>,
    private readonly options: PollingWorkerOptions,
  ) {
    this.backoff = options.backoff ?? DEFAULT_POLLING_BACKOFF;
  }

  /** Starts the loop (a second start is the same loop); it can start again after a stop. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.loop = this.run();
  }

  /** Ends the loop: no round starts after this call, and the one in flight (if any) finishes first. */
  async stop(): Promise<void> {
    this.started = false;
    this.cutWait?.();
    await this.loop;
    this.loop = null;
    await this.queued?.catch(() => undefined);
    await this.current?.catch(() => undefined);
  }

  /** A round now, if the loop runs: cuts the wait short; during a round, one more right after it (however many calls). */
  wake(): void {
    if (!this.started) return;
    if (this.cutWait) this.cutWait();
    else this.wokenDuringRound = true;
  }

  /** True from `stop()` on (and before the first `start()`: false): a long round can hand its work back. */
  get stopping(): boolean {
    return this.loop !== null && !this.started;
  }

  get running(): boolean {
    return this.started;
  }

  /** Why rounds fail, or null while the last one succeeded (or none ran). */
  get failure(): PollingFailure | null {
    return this.lastFailure;
  }

  /** When a round last succeeded (ms since the epoch), or null. */
  get lastSuccessAt(): number | null {
    return this.lastSuccess;
  }

  /**
   * Resolves once a round that started after this call has finished (rejects with its failure).
   * Calls made while a round runs share the next round.
   */
  runRound(): Promise<PollingRoundResult> {
    if (!this.current) {
      this.current = this.attempt().finally(() => (this.current = null));
      return this.current;
    }
    this.queued ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.runRound();
      });
    return this.queued;
  }

  private async attempt(): Promise<PollingRoundResult> {
    try {
      const next = await this.round();
      if (this.lastFailure) {
        this.options.logger.info({ component: this.options.component }, `${this.options.name} recovered`);
      }
      this.lastFailure = null;
      this.lastSuccess = Date.now();
      return next;
    } catch (error) {
      const kind = classifyFailure(error, this.options.failureKinds);
      const rounds = (this.lastFailure?.rounds ?? 0) + 1;
      const retryInMs = pollingBackoffDelay(this.backoff, rounds);
      this.lastFailure = { error, kind, rounds, since: this.lastFailure?.since ?? Date.now(), retryInMs };
      const fields = { component: this.options.component, err: error, retryInMs };
      if (kind === 'infrastructure') this.options.logger.warn(fields, `${this.options.name} failed`);
      else this.options.logger.error(fields, `${this.options.name} failed`);
      throw error;
    }
  }

  private async run(): Promise<void> {
    while (this.started) {
      this.wokenDuringRound = false;
      let wait: number;
      try {
        wait = (await this.runRound()) ?? this.options.intervalMs;
      } catch {
        wait = this.lastFailure?.retryInMs ?? pollingBackoffDelay(this.backoff, 1);
      }
      if (!this.started) break;
      // Back to back, it still lets timers and I/O in between rounds.
      await this.sleep(this.wokenDuringRound ? 0 : Math.max(0, wait));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (ms > 0) clearTimeout(timer as NodeJS.Timeout);
        else clearImmediate(timer as NodeJS.Immediate);
        this.cutWait = null;
        resolve();
      };
      const timer = ms > 0 ? setTimeout(done, ms) : setImmediate(done);
      if (this.options.unref) timer.unref();
      this.cutWait = done;
    });
  }
}
