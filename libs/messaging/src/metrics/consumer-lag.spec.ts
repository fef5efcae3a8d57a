import { ConsumerStatus } from '../consumer/consumer-status';
import { ConsumerRegistry } from '../nest/consumer-registry';
import { IncomingMessage, MessageTransport, PartitionOffsets } from '../transport/message-transport';
import { ConsumerLagMonitor } from './consumer-lag';
import { MessagingMetrics } from './consumer-metrics';

const TOPIC = 'membership.lifecycle';

/** Answers consumerOffsets from `offsets` (or fails, or hangs), counting the calls. */
class FakeTransport {
  calls = 0;
  offsets: PartitionOffsets[] = [];
  failWith: Error | null = null;
  hang = false;

  async consumerOffsets(groups: { groupId: string; topics: string[] }[]): Promise<Map<string, PartitionOffsets[]>> {
    this.calls++;
    if (this.hang) return new Promise(() => undefined);
    if (this.failWith) throw this.failWith;
    return new Map(groups.map((g) => [g.groupId, this.offsets]));
  }
}

const partition = (n: number, latestOffset: number, committedOffset: number | null): PartitionOffsets => ({
  topic: TOPIC,
  partition: n,
  latestOffset,
  committedOffset,
  lag: latestOffset - (committedOffset ?? 0),
});

function setup(cacheMs = 1_000) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms), now: () => now };
  const transport = new FakeTransport();
  const registry = new ConsumerRegistry();
  const instruments = new MessagingMetrics().consumer('directory-projection', clock.now);
  registry.add('directory-projection', new ConsumerStatus(), { topics: [TOPIC], instruments });
  const monitor = new ConsumerLagMonitor(transport as unknown as MessageTransport, registry, {
    cacheMs,
    timeoutMs: 50,
    now: clock.now,
  });
  return { clock, transport, registry, instruments, monitor };
}

describe('ConsumerLagMonitor', () => {
  it('reports each partition’s lag and the total, and reads again only after the cache time', async () => {
    const { clock, transport, monitor } = setup();
    transport.offsets = [partition(0, 10, 10), partition(1, 7, 4)];

    const first = await monitor.read();
    expect(first.consumers['directory-projection']).toMatchObject({ messages: 3, partitions: transport.offsets });
    expect(first.failing).toBeNull();
    expect(first.readAt).toBe(new Date(clock.now()).toISOString());

    await monitor.read();
    expect(transport.calls).toBe(1);
    clock.advance(1_000);
    await monitor.read();
    expect(transport.calls).toBe(2);
  });

  it('keeps the last values and says why when a read fails or hangs, and never rejects', async () => {
    const { clock, transport, monitor } = setup();
    transport.offsets = [partition(0, 10, 8)];
    await monitor.read();

    transport.failWith = new Error('This server does not host this topic-partition');
    clock.advance(1_000);
    const failed = await monitor.read();
    expect(failed.failing).toContain('does not host');
    expect(failed.consumers['directory-projection'].messages).toBe(2);

    transport.failWith = null;
    transport.hang = true;
    clock.advance(1_000);
    const hung = await monitor.read(10);
    expect(hung.consumers['directory-projection'].messages).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(monitor.snapshot().failing).toMatch(/no answer within 50 ms/);
  });

  it('the oldest unprocessed age: 0 when caught up, the held event’s age while one is held', async () => {
    const { clock, transport, instruments, monitor } = setup();
    transport.offsets = [partition(0, 10, 10)];
    expect((await monitor.read()).consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(0);

    const held: IncomingMessage = {
      topic: TOPIC,
      partition: 0,
      offset: '10',
      key: null,
      value: null,
      headers: {},
      timestamp: clock.now() - 3_000,
    };
    instruments.received([held]);
    expect(monitor.snapshot().consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(3);
    instruments.processed(held);
    instruments.released([held]);
    expect(monitor.snapshot().consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(0);
  });

  it('for a partition behind with nothing held: since its committed offset last moved', async () => {
    const { clock, transport, monitor } = setup();
    transport.offsets = [partition(0, 10, 5)];
    await monitor.read();
    clock.advance(4_000);
    expect((await monitor.read()).consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(4);

    // progress: the committed offset moved, so the wait starts again from this read
    transport.offsets = [partition(0, 12, 9)];
    clock.advance(1_000);
    expect((await monitor.read()).consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(0);
    clock.advance(2_000);
    expect(monitor.snapshot().consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(2);

    transport.offsets = [partition(0, 12, 12)];
    clock.advance(1_000);
    expect((await monitor.read()).consumers['directory-projection'].oldestUnprocessedAgeSeconds).toBe(0);
  });

  it('reads nothing for a process without consumers', async () => {
    const transport = new FakeTransport();
    const monitor = new ConsumerLagMonitor(transport as unknown as MessageTransport, new ConsumerRegistry());
    expect(await monitor.read()).toMatchObject({ consumers: {}, failing: null });
    expect(transport.calls).toBe(0);
  });
});
