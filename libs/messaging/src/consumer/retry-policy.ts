export interface RetryPolicy {
  /** Tries per event, the first one included; after the last, the event is dead-lettered. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/** Exponential backoff with full jitter: attempt 1 waits up to initialDelayMs, then doubling, capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Thrown by a handler for an event that no retry can fix: it goes to the dead-letter topic at once. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}
