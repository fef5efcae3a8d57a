import { waitOutInfrastructure } from './wait-out-infrastructure';

const lostConnection = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('waitOutInfrastructure', () => {
  it('tries again while the infrastructure fails, with growing waits, until it succeeds', async () => {
    const waits: number[] = [];
    const attempt = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(lostConnection())
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'))
      .mockRejectedValueOnce(lostConnection())
      .mockResolvedValue('recorded');
    const retries: number[] = [];

    const result = await waitOutInfrastructure(attempt, {
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      wait: async (ms) => void waits.push(ms),
      onRetry: (_error, retry) => retries.push(retry),
    });

    expect(result).toBe('recorded');
    expect(attempt).toHaveBeenCalledTimes(4);
    expect(retries).toEqual([1, 2, 3]);
    // Full jitter: each wait lies in [ceiling/2, ceiling], the ceiling doubling from 100 ms.
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[2]).toBeGreaterThanOrEqual(200);
    expect(waits[2]).toBeLessThanOrEqual(400);
  });

  it('throws a failure that is not the infrastructure’s at once', async () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    const attempt = jest.fn<Promise<void>, []>().mockRejectedValue(unique);
    const wait = jest.fn(async () => undefined);

    await expect(waitOutInfrastructure(attempt, { wait })).rejects.toBe(unique);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(wait).not.toHaveBeenCalled();
  });

  it('gives up with the last failure once waiting again would pass the deadline', async () => {
    let clock = 0;
    const failures = [lostConnection(), lostConnection(), lostConnection(), lostConnection()];
    let calls = 0;
    const attempt = async () => {
      throw failures[calls++];
    };

    const thrown = await waitOutInfrastructure(attempt, {
      deadline: 1_000,
      initialDelayMs: 300,
      maxDelayMs: 300,
      now: () => clock,
      wait: async (ms) => void (clock += ms),
    }).catch((error: unknown) => error);

    expect(thrown).toBe(failures[calls - 1]);
    expect(clock).toBeLessThanOrEqual(1_000);
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('lets the service’s own codes decide', async () => {
    const notYet = Object.assign(new Error('index not loaded'), { code: 'INDEX_NOT_READY' });
    const attempt = jest.fn<Promise<number>, []>().mockRejectedValueOnce(notYet).mockResolvedValue(1);

    await expect(
      waitOutInfrastructure(attempt, {
        failureKinds: { INDEX_NOT_READY: 'infrastructure' },
        wait: async () => undefined,
      }),
    ).resolves.toBe(1);
  });
});
