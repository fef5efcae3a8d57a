import { LogSink } from '../logging';
import { OutboxCleanup } from './outbox-cleanup';
import { OutboxRelay } from './outbox-relay';

function fakes(deleted: number | Error = 0) {
  const cutoffs: Date[] = [];
  const relay = {
    deletePublished: jest.fn(async (cutoff: Date) => {
      cutoffs.push(cutoff);
      if (deleted instanceof Error) throw deleted;
      return deleted;
    }),
  } as unknown as OutboxRelay;
  const logger: jest.Mocked<LogSink> = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  return { relay, logger, cutoffs };
}

describe('OutboxCleanup: published outbox rows past their retention are deleted', () => {
  afterEach(() => jest.useRealTimers());

  it('deletes what was published more than the retention ago, and says how many', async () => {
    const { relay, logger, cutoffs } = fakes(3);
    const cleanup = new OutboxCleanup(relay, 168, logger);

    expect(await cleanup.run(new Date('2026-03-10T12:00:00.000Z'))).toBe(3);

    expect(cutoffs).toEqual([new Date('2026-03-03T12:00:00.000Z')]);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      { component: 'outbox-cleanup', deleted: 3, cutoff: '2026-03-03T12:00:00.000Z' },
      'outbox cleaned up',
    );
  });

  it('logs nothing when nothing was due', async () => {
    const { relay, logger } = fakes(0);
    expect(await new OutboxCleanup(relay, 1, logger).run(new Date('2026-03-10T12:00:00.000Z'))).toBe(0);
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('measures the retention from now when not told otherwise', async () => {
    const { relay, logger, cutoffs } = fakes(0);
    const before = Date.now();
    await new OutboxCleanup(relay, 2, logger).run();
    expect(cutoffs[0].getTime()).toBeGreaterThanOrEqual(before - 2 * 3_600_000);
    expect(cutoffs[0].getTime()).toBeLessThanOrEqual(Date.now() - 2 * 3_600_000);
  });

  it('runs once at start and then every hour, until the application shuts down', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-10T12:00:00.000Z') });
    const { relay, logger, cutoffs } = fakes(0);
    const cleanup = new OutboxCleanup(relay, 24, logger);

    cleanup.onApplicationBootstrap();
    expect(cutoffs).toHaveLength(0); // not within the bootstrap itself
    await jest.advanceTimersByTimeAsync(0);
    expect(cutoffs).toEqual([new Date('2026-03-09T12:00:00.000Z')]);
    await jest.advanceTimersByTimeAsync(3_600_000 - 1);
    expect(cutoffs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(cutoffs).toHaveLength(2);
    expect(cutoffs[1]).toEqual(new Date('2026-03-09T13:00:00.000Z'));

    cleanup.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(cutoffs).toHaveLength(2);
    cleanup.onApplicationShutdown(); // twice is harmless
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('a failed round is logged and the next one still runs', async () => {
    jest.useFakeTimers();
    const { relay, logger } = fakes(new Error('connection terminated'));
    const cleanup = new OutboxCleanup(relay, 24, logger);

    cleanup.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      { component: 'outbox-cleanup', err: 'Error: connection terminated' },
      'outbox cleanup failed',
    );
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(logger.error).toHaveBeenCalledTimes(2);
    cleanup.onApplicationShutdown();
  });

  it('does not keep the process alive', () => {
    const { relay, logger } = fakes(0);
    const cleanup = new OutboxCleanup(relay, 24, logger);
    const setInterval = jest.spyOn(global, 'setInterval');
    try {
      cleanup.onApplicationBootstrap();
      const timer = setInterval.mock.results[0].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      cleanup.onApplicationShutdown();
      setInterval.mockRestore();
    }
  });
});
