import { SendRateLimiter } from './send-rate-limiter';

describe('SendRateLimiter', () => {
  function fakeClock(timerLatenessMs = 0) {
    let time = 1_000_000;
    const waits: number[] = [];
    const released: number[] = [];
    return {
      now: () => time,
      sleep: async (ms: number) => {
        waits.push(ms);
        time += ms + timerLatenessMs;
      },
      advance: (ms: number) => (time += ms),
      waits,
      released,
    };
  }

  it('spaces concurrent callers at the configured rate', async () => {
    const clock = fakeClock();
    const limiter = new SendRateLimiter(4, clock.now, clock.sleep);
    await Promise.all(Array.from({ length: 4 }, () => limiter.take().then(() => clock.released.push(clock.now()))));
    expect(clock.waits).toEqual([250, 250, 250]);
    expect(clock.released.map((t) => t - clock.released[0])).toEqual([0, 250, 500, 750]);
  });

  it('spaces a caller that comes late from the slot it had, not from the moment it came', async () => {
    const clock = fakeClock();
    const limiter = new SendRateLimiter(10, clock.now, clock.sleep);
    await limiter.take();
    clock.advance(70); // the caller was busy: the next turn is due 100 ms after the first
    await limiter.take();
    await limiter.take();
    expect(clock.waits).toEqual([30, 100]);
  });

  it('makes up for timers that fire late, so the average rate holds under load', async () => {
    const clock = fakeClock(20);
    const limiter = new SendRateLimiter(10, clock.now, clock.sleep);
    for (let i = 0; i < 4; i++) await limiter.take().then(() => clock.released.push(clock.now()));
    expect(clock.waits).toEqual([100, 80, 80]);
    expect(clock.released.map((t) => t - clock.released[0])).toEqual([0, 120, 220, 320]);
  });

  it('does not let an idle period build up a burst', async () => {
    const clock = fakeClock();
    const limiter = new SendRateLimiter(10, clock.now, clock.sleep);
    await limiter.take();
    clock.advance(5_000);
    await limiter.take();
    await limiter.take();
    expect(clock.waits).toEqual([100]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new SendRateLimiter(0)).toThrow('perSecond must be positive');
  });
});
