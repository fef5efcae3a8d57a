import { InfrastructureError } from '../failures/failure-kind';
import { LogSink } from '../logging';
import { pollingBackoffDelay, PollingRoundResult, PollingWorker, PollingWorkerOptions } from './polling-worker';

const fakeLogger = (): jest.Mocked<LogSink> => ({
  debug: jest.fn(),
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await pause(5);
  }
}

/** A round that counts its runs, can be held open, and fails while `failures` is above zero. */
class Rounds {
  runs = 0;
  inFlight = 0;
  maxInFlight = 0;
  failures = 0;
  failWith: unknown = new Error('database unavailable');
  next: PollingRoundResult = undefined;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  readonly round = async (): Promise<PollingRoundResult> => {
    this.runs++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gate) await this.gate;
      if (this.failures > 0) {
        this.failures--;
        throw this.failWith;
      }
      return this.next;
    } finally {
      this.inFlight--;
    }
  };
}

describe('PollingWorker', () => {
  const workers: PollingWorker[] = [];
  let rounds: Rounds;
  let logger: jest.Mocked<LogSink>;

  const worker = (options: Partial<PollingWorkerOptions> = {}) => {
    const created = new PollingWorker(rounds.round, {
      name: 'test worker',
      component: 'test-worker',
      logger,
      intervalMs: 60_000,
      ...options,
    });
    workers.push(created);
    return created;
  };

  beforeEach(() => {
    rounds = new Rounds();
    logger = fakeLogger();
  });

  afterEach(async () => {
    rounds.release();
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  it('runs a round at start, then one every intervalMs', async () => {
    const w = worker({ intervalMs: 40 });
    expect(w.running).toBe(false);
    w.start();
    w.start(); // the same loop
    expect(w.running).toBe(true);
    await until(() => rounds.runs >= 1);
    const started = Date.now();
    await until(() => rounds.runs >= 3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(rounds.maxInFlight).toBe(1);
    expect(w.lastSuccessAt).not.toBeNull();
  });

  it('runs the next round at once when a round asks for no wait, and waits what a round asks for', async () => {
    rounds.next = 0;
    const w = worker();
    w.start();
    await until(() => rounds.runs >= 20);
    rounds.next = 60_000;
    await pause(20);
    const runs = rounds.runs;
    await pause(100);
    expect(rounds.runs).toBe(runs);
  });

  it('wake() cuts the wait short; wakes during a round make one more round, however many', async () => {
    const w = worker();
    w.start();
    await until(() => rounds.runs === 1);
    await pause(30);
    expect(rounds.runs).toBe(1); // asleep for a minute
    w.wake();
    await until(() => rounds.runs === 2);

    rounds.hold();
    w.wake();
    await until(() => rounds.runs === 3 && rounds.inFlight === 1);
    w.wake();
    w.wake();
    w.wake();
    rounds.release();
    await until(() => rounds.runs === 4);
    await pause(50);
    expect(rounds.runs).toBe(4);
    expect(rounds.maxInFlight).toBe(1);
  });

  it('wake() before start or after stop runs nothing', async () => {
    const w = worker();
    w.wake();
    await pause(30);
    expect(rounds.runs).toBe(0);
    w.start();
    await until(() => rounds.runs === 1);
    await w.stop();
    w.wake();
    await pause(30);
    expect(rounds.runs).toBe(1);
    w.start(); // and it starts again after a stop
    await until(() => rounds.runs === 2);
  });

  it('stop() waits for the round in flight, ends a wait at once, and starts no round after it', async () => {
    const w = worker();
    rounds.hold();
    w.start();
    await until(() => rounds.inFlight === 1);
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    expect(w.stopping).toBe(true);
    await pause(30);
    expect(stopped).toBe(false);
    rounds.release();
    await stopping;
    expect(rounds.inFlight).toBe(0);
    expect(w.stopping).toBe(false);
    expect(w.running).toBe(false);

    const idle = worker();
    idle.start();
    await until(() => rounds.runs === 2);
    const at = Date.now();
    await idle.stop();
    expect(Date.now() - at).toBeLessThan(100);
    await pause(30);
    expect(rounds.runs).toBe(2);
  });

  it('backs off while rounds fail (initialDelayMs doubling to maxDelayMs), says why, and recovers', async () => {
    rounds.failures = 4;
    const w = worker({ backoff: { initialDelayMs: 20, maxDelayMs: 50 } });
    expect(w.failure).toBeNull();
    const started = Date.now();
    w.start();
    await until(() => rounds.runs === 5 && rounds.inFlight === 0);
    // 20 + 40 + 50 + 50 ms of waits between the five rounds
    expect(Date.now() - started).toBeGreaterThanOrEqual(155);
    expect(logger.error.mock.calls.map(([fields]) => (fields as { retryInMs: number }).retryInMs)).toEqual([
      20, 40, 50, 50,
    ]);
    expect(logger.error).toHaveBeenCalledWith(
      { component: 'test-worker', err: rounds.failWith, retryInMs: 20 },
      'test worker failed',
    );
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith({ component: 'test-worker' }, 'test worker recovered');
    expect(w.failure).toBeNull();

    // the next failure starts from the beginning
    rounds.failures = 1;
    w.wake();
    await until(() => logger.error.mock.calls.length === 5);
    expect(w.failure).toEqual({
      error: rounds.failWith,
      kind: 'event',
      rounds: 1,
      since: expect.any(Number),
      retryInMs: 20,
    });
  });

  it('says since when and how many rounds in a row have failed; wake() cuts a backoff short', async () => {
    rounds.failures = 3;
    const w = worker({ backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    w.start();
    await until(() => w.failure !== null);
    const since = w.failure!.since;
    w.wake();
    await until(() => w.failure?.rounds === 2);
    w.wake();
    await until(() => w.failure?.rounds === 3);
    expect(w.failure!.since).toBe(since);
    w.wake();
    await until(() => w.failure === null);
    expect(rounds.runs).toBe(4);
  });

  it("waits out the infrastructure's failures as warnings; a service's own codes decide first", async () => {
    rounds.failures = 1;
    rounds.failWith = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const w = worker({ backoff: { initialDelayMs: 10, maxDelayMs: 10 } });
    w.start();
    await until(() => logger.info.mock.calls.length === 1);
    expect(logger.warn).toHaveBeenCalledWith(
      { component: 'test-worker', err: rounds.failWith, retryInMs: 10 },
      'test worker failed',
    );
    expect(logger.error).not.toHaveBeenCalled();
    await w.stop();

    rounds.failures = 1;
    rounds.failWith = new InfrastructureError('the index is being swapped');
    const v = worker({ failureKinds: { BROKEN: 'event' } });
    await expect(v.runRound()).rejects.toBe(rounds.failWith);
    expect(v.failure?.kind).toBe('infrastructure');

    rounds.failures = 1;
    rounds.failWith = Object.assign(new Error('refused'), { code: 'BROKEN' });
    await expect(v.runRound()).rejects.toThrow('refused');
    expect(v.failure).toMatchObject({ kind: 'event', rounds: 2 });
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  describe('runRound()', () => {
    it('runs a round without the loop and passes on its failure', async () => {
      const w = worker();
      await w.runRound();
      expect(rounds.runs).toBe(1);
      rounds.failures = 1;
      await expect(w.runRound()).rejects.toThrow('database unavailable');
      expect(w.failure?.rounds).toBe(1);
      await w.runRound();
      expect(w.failure).toBeNull();
    });

    it('during a round, waits for one more round after it, shared by every such call', async () => {
      const w = worker();
      rounds.hold();
      const first = w.runRound();
      await until(() => rounds.inFlight === 1);
      const [second, third] = [w.runRound(), w.runRound()];
      expect(second).toBe(third);
      let secondDone = false;
      void second.then(() => (secondDone = true));
      rounds.release();
      await first;
      expect(rounds.runs).toBeLessThanOrEqual(2);
      await second;
      expect(secondDone).toBe(true);
      expect(rounds.runs).toBe(2);
      expect(rounds.maxInFlight).toBe(1);
    });

    it('a failed round in flight still gives the callers waiting after it their own round', async () => {
      const w = worker();
      rounds.hold();
      rounds.failures = 1;
      const first = w.runRound();
      await until(() => rounds.inFlight === 1);
      const second = w.runRound();
      rounds.release();
      await expect(first).rejects.toThrow('database unavailable');
      await expect(second).resolves.toBeUndefined();
      expect(rounds.runs).toBe(2);
    });

    it('shares the round the loop runs, one at a time', async () => {
      const w = worker();
      rounds.hold();
      w.start();
      await until(() => rounds.inFlight === 1);
      const caught = w.runRound();
      rounds.release();
      await caught;
      expect(rounds.runs).toBe(2);
      expect(rounds.maxInFlight).toBe(1);
    });

    it('stop() waits for a round a caller asked for', async () => {
      const w = worker();
      rounds.hold();
      const asked = w.runRound();
      await until(() => rounds.inFlight === 1);
      let stopped = false;
      const stopping = w.stop().then(() => (stopped = true));
      await pause(20);
      expect(stopped).toBe(false);
      rounds.release();
      await Promise.all([asked, stopping]);
      expect(stopped).toBe(true);
    });
  });

  it('pollingBackoffDelay: initialDelayMs, doubling, capped', () => {
    const backoff = { initialDelayMs: 250, maxDelayMs: 3_000 };
    expect([0, 1, 2, 3, 4, 5, 100].map((n) => pollingBackoffDelay(backoff, n))).toEqual([
      250, 250, 500, 1_000, 2_000, 3_000, 3_000,
    ]);
  });
});
