/**
 * Lets sends go at most `perSecond`, across every concurrent caller. Callers take turns on a
 * schedule of evenly spaced slots: a timer that fires late is made up on the next slot (so the
 * average holds under load), but a turn never starts before its slot, and a slot is never in
 * the past when its turn comes (an idle period or a stall builds up no credit for a burst).
 */
export class SendRateLimiter {
  private readonly intervalMs: number;
  private last = Number.NEGATIVE_INFINITY;
  private turns: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(perSecond > 0)) throw new Error('perSecond must be positive');
    this.intervalMs = 1_000 / perSecond;
  }

  take(): Promise<void> {
    const turn = this.turns.then(async () => {
      const now = this.now();
      const slot = Math.max(this.last + this.intervalMs, now);
      if (slot > now) await this.sleep(slot - now);
      this.last = slot;
    });
    this.turns = turn;
    return turn;
  }
}
