import { backoffDelay, DEFAULT_RETRY_POLICY, PermanentEventError, RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 8, initialDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelay', () => {
  it('doubles its ceiling with every attempt, starting at initialDelayMs', () => {
    const highest = [1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 1));
    expect(highest).toEqual([100, 200, 400, 800]);
  });

  it('never goes below half the ceiling', () => {
    const lowest = [1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 0));
    expect(lowest).toEqual([50, 100, 200, 400]);
  });

  it('is capped at maxDelayMs', () => {
    expect(backoffDelay(policy, 5, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 5, () => 0)).toBe(500);
    expect(backoffDelay(policy, 30, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 30, () => 0)).toBe(500);
  });

  it('places the delay within [ceiling/2, ceiling] by the random source', () => {
    const random = jest.fn(() => 0.5);

    expect(backoffDelay(policy, 3, random)).toBe(300); // 400/2 + 0.5 * 400/2
    expect(random).toHaveBeenCalledTimes(1);
    expect(backoffDelay(policy, 3, () => 0.25)).toBe(250);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(400);
  });

  it('stays within bounds with the default (Math.random) source', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(policy, attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('uses Math.random when no source is given', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(backoffDelay(policy, 2)).toBe(100);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('gives the default policy a bounded worst case', () => {
    const { maxAttempts, maxDelayMs } = DEFAULT_RETRY_POLICY;
    let worst = 0;
    for (let attempt = 1; attempt < maxAttempts; attempt++)
      worst += backoffDelay(DEFAULT_RETRY_POLICY, attempt, () => 1);
    expect(worst).toBeLessThanOrEqual((maxAttempts - 1) * maxDelayMs);
    expect(worst).toBe(200 + 400 + 800 + 1_600);
  });
});

describe('PermanentEventError', () => {
  it('is an Error recognisable by class and by name', () => {
    const error = new PermanentEventError('unknown member');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(PermanentEventError);
    expect(error.name).toBe('PermanentEventError');
    expect(error.message).toBe('unknown member');
  });
});
