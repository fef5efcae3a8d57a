import { createEvent, deadLetterTopic, MemberAdmittedV1, Topics, TypedEvent } from '@valley/contracts';
import { LogSink } from '../logging';
import { DeadLetterReason, MessagingMetrics, MessagingMetricsSink } from '../metrics/consumer-metrics';
import { BatchControl, IncomingMessage, MessageProducer } from '../transport/message-transport';
import { DeadLetterPublisher } from './dead-letter';
import { EventBatchProcessor } from './event-batch-processor';
import { EventHandler } from './event-handler';
import { PermanentEventError, RetryPolicy } from './retry-policy';

const CONSUMER = 'directory.member-projection';
const RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 };

/** Every measurement, as the consumer's metrics would count it. */
class RecordingSink implements MessagingMetricsSink {
  handled = 0;
  retried = 0;
  deadLettered: Partial<Record<DeadLetterReason, number>> = {};
  infrastructureWaits = 0;
  batches: { size: number; seconds: number }[] = [];
  receiveDelays: number[] = [];
  applyDelays: number[] = [];
  consumers = new Set<string>();
  started: string[] = [];

  consumerStarted(consumer: string): void {
    this.started.push(consumer);
  }
  eventsHandled(consumer: string, count: number): void {
    this.consumers.add(consumer);
    this.handled += count;
  }
  eventsRetried(_consumer: string, count: number): void {
    this.retried += count;
  }
  eventsDeadLettered(_consumer: string, reason: DeadLetterReason, count: number): void {
    this.deadLettered[reason] = (this.deadLettered[reason] ?? 0) + count;
  }
  infrastructureWait(): void {
    this.infrastructureWaits++;
  }
  batchHandled(_consumer: string, size: number, seconds: number): void {
    this.batches.push({ size, seconds });
  }
  receiveDelay(_consumer: string, seconds: number): void {
    this.receiveDelays.push(seconds);
  }
  applyDelay(_consumer: string, seconds: number): void {
    this.applyDelays.push(seconds);
  }
  outboxPublishDelay(): void {}
}

const silent: LogSink = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const producer: MessageProducer = { send: async () => undefined, disconnect: async () => undefined };
const control: BatchControl = {
  markProcessed: () => undefined,
  heartbeat: async () => undefined,
  isActive: () => true,
};

function admitted(n: number): TypedEvent<'MemberAdmitted'> {
  const memberId = '00000000-0000-4000-8000-' + String(n).padStart(12, '0');
  const payload: MemberAdmittedV1 = {
    memberId,
    membershipType: 'full',
    admittedOn: '2025-03-14',
    legalName: `UAB Narys ${n}`,
    registrationCode: String(300000000 + n),
    country: 'LT',
    region: 'Vilniaus apskritis',
    organisationType: 'business',
    sizeClass: 'micro',
    sectorCodes: ['C26.51'],
    focusAreas: ['cooperation'],
    contact: { name: `Kontaktas ${n}`, email: `kontaktas${n}@narys.lt`, language: 'lt' },
    consent: { publicListing: true, announcements: true },
  };
  return createEvent({ type: 'MemberAdmitted', aggregateId: memberId, payload, producer: 'membership' });
}

let offset = 0;
const message = (value: string, timestamp?: number): IncomingMessage => ({
  topic: Topics.MembershipLifecycle,
  partition: 0,
  offset: String(offset++),
  key: null,
  value: Buffer.from(value),
  headers: {},
  ...(timestamp === undefined ? {} : { timestamp }),
});
const eventMessage = (event: TypedEvent, timestamp?: number) => message(JSON.stringify(event), timestamp);

function setup(behaviour: (events: TypedEvent[]) => void = () => undefined, chunkSize = 500) {
  const sink = new RecordingSink();
  const metrics = new MessagingMetrics();
  metrics.use(sink);
  const instruments = metrics.consumer(CONSUMER);
  const handler: EventHandler = {
    consumerName: CONSUMER,
    topics: [Topics.MembershipLifecycle],
    handles: ['MemberAdmitted'],
    handle: async (events) => behaviour(events),
  };
  const processor = new EventBatchProcessor(
    handler,
    new DeadLetterPublisher(producer, deadLetterTopic('directory'), CONSUMER),
    RETRY,
    silent,
    { chunkSize, wait: async () => undefined, metrics: instruments },
  );
  return { sink, instruments, processor };
}

describe('EventBatchProcessor metrics', () => {
  it('counts the events a chunk applied, its size and handling time, and each event’s hops', async () => {
    const { sink, processor } = setup(undefined, 2);
    const producedAt = Date.now() - 1_000;

    await processor.process(
      [1, 2, 3].map((n) => eventMessage(admitted(n), producedAt)),
      control,
    );

    expect(sink.started).toEqual([CONSUMER]);
    expect(sink.consumers).toEqual(new Set([CONSUMER]));
    expect(sink.handled).toBe(3);
    expect(sink.batches.map((b) => b.size)).toEqual([2, 1]);
    expect(sink.batches.every((b) => b.seconds >= 0 && b.seconds < 5)).toBe(true);
    expect(sink.receiveDelays).toHaveLength(3);
    expect(Math.min(...sink.receiveDelays)).toBeGreaterThanOrEqual(0.99);
    expect(sink.applyDelays).toHaveLength(3);
    expect(sink.retried).toBe(0);
    expect(sink.deadLettered).toEqual({});
  });

  it('observes no receive delay for a message without a Kafka timestamp', async () => {
    const { sink, processor } = setup();
    await processor.process([eventMessage(admitted(1))], control);
    expect(sink.receiveDelays).toEqual([]);
    expect(sink.handled).toBe(1);
  });

  it('counts a failed chunk’s events as retried, and a poison event’s retries and dead letter (exhausted)', async () => {
    const poison = admitted(2);
    const { sink, processor } = setup((events) => {
      if (events.some((e) => e.eventId === poison.eventId)) throw new Error('constraint violated');
    });

    await processor.process(
      [admitted(1), poison, admitted(3)].map((e) => eventMessage(e)),
      control,
    );

    // 3 for the chunk falling back to one at a time, then 2 more tries of the poison event
    expect(sink.retried).toBe(3 + (RETRY.maxAttempts - 1));
    expect(sink.handled).toBe(2);
    expect(sink.batches.map((b) => b.size)).toEqual([1, 1]);
    expect(sink.deadLettered).toEqual({ exhausted: 1 });
  });

  it('counts a permanent failure and malformed messages as dead-lettered by reason', async () => {
    const refused = admitted(1);
    const { sink, processor } = setup((events) => {
      if (events[0].eventId === refused.eventId) throw new PermanentEventError('not for us');
    });

    await processor.process([eventMessage(refused), message('{not json'), message('{"type": 1}')], control);

    expect(sink.deadLettered).toEqual({ permanent: 1, malformed: 2 });
    expect(sink.retried).toBe(0);
    expect(sink.handled).toBe(0);
  });

  it('counts each wait for the infrastructure, not as a retry of the event', async () => {
    let calls = 0;
    const { sink, processor } = setup(() => {
      if (++calls <= 2) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    });

    await processor.process([eventMessage(admitted(1))], control);

    expect(sink.infrastructureWaits).toBe(2);
    expect(sink.retried).toBe(0);
    expect(sink.handled).toBe(1);
  });

  it('holds what it received until it is processed: the oldest unprocessed event, by its timestamp', async () => {
    const producedAt = Date.now() - 5_000;
    let heldDuring = new Map<string, number>();
    const { instruments, processor } = setup(() => void (heldDuring = instruments.oldestInFlight()));

    await processor.process(
      [eventMessage(admitted(1), producedAt), eventMessage(admitted(2), producedAt + 1)],
      control,
    );

    expect([...heldDuring]).toEqual([[`${Topics.MembershipLifecycle}:0`, producedAt]]);
    expect(instruments.oldestInFlight().size).toBe(0);
  });

  it('lets a batch go when it stops early (the rest will be redelivered)', async () => {
    const { instruments, processor } = setup();
    const inactive: BatchControl = { ...control, isActive: () => false };
    const batch = [eventMessage(admitted(1), Date.now()), eventMessage(admitted(2), Date.now())];
    await processor.process(batch, inactive);
    expect(instruments.oldestInFlight().size).toBe(0);
  });
});
