import { createEvent, deadLetterTopic, EventType, MemberAdmittedV1, Topics, TypedEvent } from '@valley/contracts';
import { LogSink } from '../logging';
import { BatchControl, IncomingMessage, MessageProducer, OutgoingMessage } from '../transport/message-transport';
import { DeadLetterHeaders, DeadLetterPublisher } from './dead-letter';
import { ConsumerStoppedError, EventBatchProcessor, EventBatchProcessorOptions } from './event-batch-processor';
import { EventHandler } from './event-handler';
import { PermanentEventError, RetryPolicy } from './retry-policy';

/**
 * The batch processor's rules at their edges, beside event-batch-processor.spec.ts: what is
 * skipped unread and what is dead-lettered by the type, empty and default-sized batches, the
 * decoder's yields, the default wait, what is logged, and the backoff of a long outage.
 */

const CONSUMER = 'reporting.facts';
const DLT = deadLetterTopic('reporting');
const RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 };

class FakeHandler implements EventHandler {
  readonly consumerName = CONSUMER;
  readonly topics = [Topics.MembershipLifecycle];
  readonly calls: string[][] = [];

  constructor(
    readonly handles: readonly EventType[],
    private readonly behaviour: (events: TypedEvent[], call: number) => void = () => undefined,
  ) {}

  async handle(events: TypedEvent[]): Promise<void> {
    this.calls.push(events.map((e) => e.eventId));
    this.behaviour(events, this.calls.length);
  }
}

class FakeProducer implements MessageProducer {
  readonly sent: OutgoingMessage[] = [];
  sendCalls = 0;
  async send(messages: OutgoingMessage[]): Promise<void> {
    this.sendCalls++;
    this.sent.push(...messages);
  }
  async disconnect(): Promise<void> {}
}

class FakeControl implements BatchControl {
  readonly marked: string[] = [];
  heartbeats = 0;
  markProcessed(message: IncomingMessage): void {
    this.marked.push(message.offset);
  }
  async heartbeat(): Promise<void> {
    this.heartbeats++;
  }
  isActive(): boolean {
    return true;
  }
}

const fakeLogger = (): jest.Mocked<LogSink> => ({
  debug: jest.fn(),
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
});

function setup(handler: FakeHandler, options: Partial<EventBatchProcessorOptions> | null = {}) {
  const producer = new FakeProducer();
  const control = new FakeControl();
  const logger = fakeLogger();
  const wait = jest.fn(async (_ms: number) => undefined);
  const processor =
    options === null
      ? new EventBatchProcessor(handler, new DeadLetterPublisher(producer, DLT, CONSUMER), RETRY, logger)
      : new EventBatchProcessor(handler, new DeadLetterPublisher(producer, DLT, CONSUMER), RETRY, logger, {
          chunkSize: 500,
          wait,
          ...options,
        });
  return { producer, control, logger, wait, processor };
}

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

let nextOffset = 0;
const raw = (value: object | string, key = 'key'): IncomingMessage => ({
  topic: Topics.MembershipLifecycle,
  partition: 0,
  offset: String(nextOffset++),
  key,
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
});

const terminated = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

/** Promise rejections nobody handles while `work` runs (and a turn of the event loop after). */
async function unhandledRejectionsDuring(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('EventBatchProcessor: which events are skipped unread, which dead-lettered', () => {
  it('skips a known type it does not handle without reading it, even with a payload that breaks its contract', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    const notOurs = { ...admitted(1), type: 'NotificationSent' }; // a MemberAdmitted payload: invalid for it
    const messages = [raw(notOurs)];

    await processor.process(messages, control);

    expect(producer.sent).toEqual([]);
    expect(handler.calls).toEqual([]);
    expect(control.marked).toEqual([messages[0].offset]);
  });

  it.each([
    ['a lower-case type', 'memberAdmitted'],
    ['a type with a space', 'Member Admitted'],
    ['a type with a digit', 'MemberAdmitted2'],
    ['a one-letter type', 'M'],
    ['a type that is no string', 5],
    ['a type that is a list', ['NotificationSent']],
  ])('dead-letters %s: the envelope is malformed, not a type to skip', async (_, type) => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    const messages = [raw({ ...admitted(2), type })];

    await processor.process(messages, control);

    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].headers?.[DeadLetterHeaders.reason]).toMatch(/^invalid envelope: type: /);
    expect(handler.calls).toEqual([]);
    expect(control.marked).toEqual([messages[0].offset]);
  });
});

describe('EventBatchProcessor: batches', () => {
  it('an empty batch handles, marks and heartbeats nothing', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler, { chunkSize: 2 });
    const rejections = await unhandledRejectionsDuring(() => processor.process([], control));
    expect(rejections).toEqual([]);
    expect(handler.calls).toEqual([]);
    expect(control.marked).toEqual([]);
    expect(control.heartbeats).toBe(0);
    expect(producer.sendCalls).toBe(0);
  });

  it('a batch of whole chunks: one call, mark and heartbeat per chunk, and no stray work after the last', async () => {
    const events = [1, 2, 3, 4].map(admitted);
    const handler = new FakeHandler(['MemberAdmitted']);
    const { control, processor } = setup(handler, { chunkSize: 2 });
    const messages = events.map((e) => raw(e));

    const rejections = await unhandledRejectionsDuring(() => processor.process(messages, control));

    expect(rejections).toEqual([]);
    expect(handler.calls).toEqual([events.slice(0, 2).map((e) => e.eventId), events.slice(2).map((e) => e.eventId)]);
    expect(control.marked).toEqual([messages[1].offset, messages[3].offset]);
    expect(control.heartbeats).toBe(2);
  });

  it('one chunk: no decoding of a chunk that is not there', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { control, processor } = setup(handler);
    const rejections = await unhandledRejectionsDuring(() => processor.process([raw(admitted(1))], control));
    expect(rejections).toEqual([]);
    expect(handler.calls).toHaveLength(1);
  });

  it('takes 500 messages a chunk unless told otherwise', async () => {
    const events = Array.from({ length: 501 }, (_, i) => admitted(i));
    const handler = new FakeHandler(['MemberAdmitted']);
    const { control, processor } = setup(handler, null);

    await processor.process(
      events.map((e) => raw(e)),
      control,
    );

    expect(handler.calls.map((call) => call.length)).toEqual([500, 1]);
  });

  it('yields to the event loop every 100 messages while decoding a chunk', async () => {
    const events = Array.from({ length: 250 }, (_, i) => admitted(i));
    const handler = new FakeHandler(['MemberAdmitted']);
    const { control, processor } = setup(handler);
    const setImmediate = jest.spyOn(global, 'setImmediate');
    try {
      await processor.process(
        events.map((e) => raw(e)),
        control,
      );
      expect(setImmediate).toHaveBeenCalledTimes(2); // after the 100th and the 200th
    } finally {
      setImmediate.mockRestore();
    }
    expect(handler.calls.map((call) => call.length)).toEqual([250]);
  });
});

describe('EventBatchProcessor: retries', () => {
  it('waits for real between tries when no wait is given', async () => {
    const handler = new FakeHandler(['MemberAdmitted'], (_events, call) => {
      if (call === 1) throw new Error('a bug that passes');
    });
    const { control, processor } = setup(handler, null);
    const started = Date.now();
    await processor.process([raw(admitted(1))], control);
    // the first retry waits between half and all of initialDelayMs
    expect(Date.now() - started).toBeGreaterThanOrEqual(RETRY.initialDelayMs / 2 - 5);
    expect(handler.calls).toHaveLength(2);
  });

  it('a PermanentEventError is final even when what it wraps is the infrastructure’s', async () => {
    const handler = new FakeHandler(['MemberAdmitted'], () => {
      throw new PermanentEventError('the member was never admitted here', { cause: terminated() });
    });
    const { producer, control, wait, processor } = setup(handler);

    await processor.process([raw(admitted(1))], control);

    expect(handler.calls).toHaveLength(1);
    expect(wait).not.toHaveBeenCalled();
    expect(producer.sent[0].headers?.[DeadLetterHeaders.reason]).toBe(
      'permanent: PermanentEventError: the member was never admitted here',
    );
  });

  it('waits out an outage with backoff that doubles up to its cap, and says so on the 1st, 10th, 20th try', async () => {
    const outage = 25;
    const handler = new FakeHandler(['MemberAdmitted'], (_events, call) => {
      if (call <= outage) throw terminated();
    });
    // no status given: waiting out still works
    const { logger, wait, control, processor } = setup(handler);

    await processor.process([raw(admitted(1))], control);

    const waits = wait.mock.calls.map(([ms]) => ms);
    expect(waits).toHaveLength(outage);
    // full jitter: try n waits between half and all of min(maxDelay, initial * 2^(n-1))
    waits.forEach((ms, i) => {
      const ceiling = Math.min(RETRY.maxDelayMs, RETRY.initialDelayMs * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
    expect(logger.warn.mock.calls.map(([fields]) => (fields as { retry: number }).retry)).toEqual([1, 10, 20]);
    expect(logger.warn).toHaveBeenCalledWith(
      { consumer: CONSUMER, err: expect.objectContaining({ code: '57P01' }), retry: 1 },
      'infrastructure failure; waiting it out, the partition waits',
    );
    expect(handler.calls).toHaveLength(outage + 1);
  });

  it('logs what it dead-letters and why it retries one by one', async () => {
    const [good, poison] = [admitted(1), admitted(2)];
    const handler = new FakeHandler(['MemberAdmitted'], (events) => {
      if (events.some((e) => e.eventId === poison.eventId)) throw new Error('poison');
    });
    const { logger, control, processor } = setup(handler);

    await processor.process([raw(good), raw(poison), raw('{not json')], control);

    expect(logger.warn).toHaveBeenCalledWith({ consumer: CONSUMER, count: 1 }, 'malformed events dead-lettered');
    expect(logger.warn).toHaveBeenCalledWith(
      { consumer: CONSUMER, err: expect.objectContaining({ message: 'poison' }), count: 2 },
      'batch failed; retrying its events one at a time',
    );
    expect(logger.error).toHaveBeenCalledWith(
      {
        consumer: CONSUMER,
        eventId: poison.eventId,
        type: 'MemberAdmitted',
        err: expect.objectContaining({ message: 'poison' }),
      },
      'event dead-lettered',
    );
  });

  it('logs no warning for a batch without malformed events', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { logger, control, processor } = setup(handler);
    await processor.process([raw(admitted(1)), raw(admitted(2))], control);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('ConsumerStoppedError says what it is', () => {
    expect(new ConsumerStoppedError('stopped')).toMatchObject({ name: 'ConsumerStoppedError', message: 'stopped' });
  });
});

describe('DeadLetterPublisher', () => {
  const message: IncomingMessage = {
    topic: Topics.MembershipLifecycle,
    partition: 2,
    offset: '41',
    key: 'k',
    value: Buffer.from('x'),
    headers: {},
  };

  it('sends nothing for no letters', async () => {
    const producer = new FakeProducer();
    await new DeadLetterPublisher(producer, DLT, CONSUMER).publish([]);
    expect(producer.sendCalls).toBe(0);
  });

  it('cuts a reason to 2,000 characters', async () => {
    const producer = new FakeProducer();
    await new DeadLetterPublisher(producer, DLT, CONSUMER).publish([
      { message, reason: 'r'.repeat(3_000), attempts: 5 },
    ]);
    expect(producer.sent[0].headers?.[DeadLetterHeaders.reason]).toBe('r'.repeat(2_000));
  });
});
