import { ConsumerStatus } from './consumer-status';

/** A clock that moves one second on every reading, so that each state change has its own `since`. */
function tickingClock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
  let readings = 0;
  return () => new Date(start + 1_000 * readings++);
}
const at = (seconds: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1_000).toISOString();

describe('ConsumerStatus: where a consumer stands, for /health', () => {
  it('starts joining, since it was made, not ready, with neither reason nor retries', () => {
    const status = new ConsumerStatus(tickingClock());
    expect(status.view()).toStrictEqual({ state: 'joining', since: expect.any(String) });
    expect(status.isReady).toBe(false);
  });

  it('runs once joined, since then; joining again changes nothing', () => {
    const status = new ConsumerStatus(tickingClock());
    status.joined();
    expect(status.view()).toStrictEqual({ state: 'running', since: at(0) });
    expect(status.isReady).toBe(true);
    status.joined();
    expect(status.view()).toStrictEqual({ state: 'running', since: at(0) });
  });

  it('cannot start yet: still joining with the reason, since it began joining', () => {
    const status = new ConsumerStatus(tickingClock());
    const since = status.view().since;
    status.cannotStart('broker unavailable');
    expect(status.view()).toStrictEqual({ state: 'joining', since, reason: 'broker unavailable' });
    status.cannotStart('still unavailable');
    expect(status.view()).toStrictEqual({ state: 'joining', since, reason: 'still unavailable' });
  });

  it('a running consumer that cannot start (a restart) is joining again, from then', () => {
    const status = new ConsumerStatus(tickingClock());
    status.joined();
    status.cannotStart('subscribe failed');
    expect(status.view()).toStrictEqual({ state: 'joining', since: at(1), reason: 'subscribe failed' });
    expect(status.isReady).toBe(false);
  });

  it('stalls with the reason and counts the tries; the first stall is its since', () => {
    const status = new ConsumerStatus(tickingClock());
    status.joined();
    status.stalled('connection terminated');
    expect(status.view()).toStrictEqual({
      state: 'stalled',
      since: at(1),
      reason: 'connection terminated',
      retries: 1,
    });
    expect(status.isReady).toBe(false);
    status.stalled('connection refused');
    expect(status.view()).toStrictEqual({ state: 'stalled', since: at(1), reason: 'connection refused', retries: 2 });
  });

  it('flows again after a stall: running, from then, reason and retries gone; a new stall counts from 1', () => {
    const status = new ConsumerStatus(tickingClock());
    status.joined();
    status.stalled('deadlock');
    status.stalled('deadlock');
    status.flowing();
    expect(status.view()).toStrictEqual({ state: 'running', since: at(2) });
    expect(status.isReady).toBe(true);
    status.flowing();
    expect(status.view()).toStrictEqual({ state: 'running', since: at(2) });
    status.stalled('timeout');
    expect(status.view()).toStrictEqual({ state: 'stalled', since: at(3), reason: 'timeout', retries: 1 });
  });

  it('flowing does not make a joining consumer running', () => {
    const status = new ConsumerStatus(tickingClock());
    status.flowing();
    expect(status.view().state).toBe('joining');
    expect(status.isReady).toBe(false);
  });

  it('a consumer the client gave up on joins again, with the reason, and counts the restarts', () => {
    const status = new ConsumerStatus(tickingClock());
    status.joined();
    status.stalled('connection terminated');
    status.restarting('connect ECONNREFUSED');
    expect(status.view()).toStrictEqual({
      state: 'joining',
      since: at(2),
      reason: 'the Kafka client gave up (connect ECONNREFUSED); a new consumer is joining',
      restarts: 1,
    });
    expect(status.isReady).toBe(false);
    status.joined();
    expect(status.view()).toStrictEqual({ state: 'running', since: at(3), restarts: 1 });
    expect(status.isReady).toBe(true);
  });

  it('uses the real clock by default', () => {
    const before = Date.now();
    const since = Date.parse(new ConsumerStatus().view().since);
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(Date.now());
  });
});
