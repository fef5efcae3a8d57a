import { backoffDelay } from '../consumer/retry-policy';
import { classifyFailure, FailureKindsByCode } from './failure-kind';

export interface WaitOutInfrastructureOptions {
  /** Give up at this moment (ms since the epoch): the last failure is thrown. None: for as long as it lasts. */
  deadline?: number;
  /** Backoff between tries, with full jitter (100 ms doubling, capped at 2 s by default). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The service's own error codes and the kind each stands for (see classifyFailure). */
  failureKinds?: FailureKindsByCode;
  /** Told before each wait. */
  onRetry?: (error: unknown, retry: number, delayMs: number) => void;
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, trying again with capped backoff while it fails for a reason
 * of the infrastructure (see classifyFailure: a lost connection, a deadlock, the broker away); any
 * other failure, and an infrastructure failure that outlasts `deadline`, is thrown.
 *
 * For work that must not be left half done because of a passing failure, such as recording that
 * an SMTP server accepted a message: left unrecorded, the message goes out a second time.
 */
export async function waitOutInfrastructure<T>(
  attempt: () => Promise<T>,
  options: WaitOutInfrastructureOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? sleep;
  const policy = {
    maxAttempts: Infinity,
    initialDelayMs: options.initialDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 2_000,
  };
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (classifyFailure(error, options.failureKinds) !== 'infrastructure') throw error;
      const delay = backoffDelay(policy, Math.min(retry, 30));
      if (options.deadline !== undefined && now() + delay > options.deadline) throw error;
      options.onRetry?.(error, retry, delay);
      await wait(delay);
    }
  }
}
