import { performance } from 'node:perf_hooks';
import { PollClient } from './poll-client';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * GET `urlOf(id)` of every id not yet seen, each polled every `pollMs`, with at most `connections`
 * requests at a time: when the server falls behind, the watch polls less often instead of
 * flooding it (and measuring its own load). Used for the system's directory and the floor's alike.
 */
export class ListingWatch {
  private readonly pending = new Map<string, { deadline: number; resolve: (at: number | null) => void }>();
  private running = true;
  private readonly loop: Promise<void>;
  private readonly client: PollClient;

  constructor(
    private readonly urlOf: (id: string) => string,
    private readonly options: { pollMs: number; connections: number },
  ) {
    this.client = new PollClient(options.connections);
    this.loop = this.run();
  }

  /** The moment `id` first answered 200 (null: not within `timeoutMs`). */
  listedAt(id: string, timeoutMs = 20_000): Promise<number | null> {
    return new Promise((resolve) => this.pending.set(id, { deadline: performance.now() + timeoutMs, resolve }));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.client.close();
    for (const [, waiter] of this.pending) waiter.resolve(null);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const round = performance.now();
      const ids = [...this.pending.keys()];
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const waiter = this.pending.get(id)!;
          const response = await this.client.get(this.urlOf(id));
          const now = performance.now();
          if (response?.status === 200 || now > waiter.deadline) {
            this.pending.delete(id);
            waiter.resolve(response?.status === 200 ? now : null);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.options.connections, ids.length) }, worker));
      await sleep(Math.max(0, round + this.options.pollMs - performance.now()));
    }
  }
}
