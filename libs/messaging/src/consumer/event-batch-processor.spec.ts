import {
  createEvent,
  deadLetterTopic,
  EventType,
  isKnownEventType,
  MemberAdmittedV1,
  Topics,
  TypedEvent,
} from '@valley/contracts';
import { LogSink } from '../logging';
import { BatchControl, IncomingMessage, MessageProducer, OutgoingMessage } from '../transport/message-transport';
import { ConsumerStatus, ConsumerStatusView } from './consumer-status';
import { DeadLetterHeaders, DeadLetterPublisher } from './dead-letter';
import { ConsumerStoppedError, EventBatchProcessor } from './event-batch-processor';
import { EventHandler } from './event-handler';
import { PermanentEventError, RetryPolicy } from './retry-policy';

const CONSUMER = 'directory.member-projection';
const DLT = deadLetterTopic('directory');
const PARTITION = 4;
const RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 };

// ---- fakes -------------------------------------------------------------------------------

class FakeHandler implements EventHandler {
  readonly consumerName = CONSUMER;
  readonly topics = [Topics.MembershipLifecycle];
  /** Every handle call, as the eventIds it was given. */
  readonly calls: string[][] = [];
  /** eventIds of the calls that succeeded: what was applied. */
  readonly applied: string[] = [];

  constructor(
    readonly handles: readonly EventType[],
    private readonly behaviour: (events: TypedEvent[], call: number) => void = () => undefined,
  ) {}

  async handle(events: TypedEvent[]): Promise<void> {
    this.calls.push(events.map((e) => e.eventId));
    this.behaviour(events, this.calls.length);
    this.applied.push(...events.map((e) => e.eventId));
  }
}

class FakeProducer implements MessageProducer {
  readonly sent: OutgoingMessage[] = [];
  sendCalls = 0;
  failWith: Error | null = null;

  async send(messages: OutgoingMessage[]): Promise<void> {
    this.sendCalls++;
    if (this.failWith) throw this.failWith;
    this.sent.push(...messages);
  }

  async disconnect(): Promise<void> {}
}

class FakeControl implements BatchControl {
  readonly marked: string[] = [];
  heartbeats = 0;
  /** isActive() answers from this list while it lasts, then `true`. */
  activeAnswers: boolean[] = [];

  markProcessed(message: IncomingMessage): void {
    this.marked.push(message.offset);
  }

  async heartbeat(): Promise<void> {
    this.heartbeats++;
  }

  isActive(): boolean {
    return this.activeAnswers.length > 0 ? this.activeAnswers.shift()! : true;
  }
}

const silentLogger = (): LogSink => ({ debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() });

function setup(handler: FakeHandler, chunkSize = 500) {
  const producer = new FakeProducer();
  const control = new FakeControl();
  const wait = jest.fn(async (_ms: number) => undefined);
  const processor = new EventBatchProcessor(
    handler,
    new DeadLetterPublisher(producer, DLT, CONSUMER),
    RETRY,
    silentLogger(),
    {
      chunkSize,
      wait,
    },
  );
  return { producer, control, wait, processor };
}

// ---- messages ----------------------------------------------------------------------------

function payload(n: number): MemberAdmittedV1 {
  return {
    memberId: '00000000-0000-4000-8000-' + String(n).padStart(12, '0'),
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
}

function memberAdmitted(n: number): TypedEvent<'MemberAdmitted'> {
  const p = payload(n);
  return createEvent({ type: 'MemberAdmitted', aggregateId: p.memberId, payload: p, producer: 'membership' });
}

function applicationSubmitted(n: number): TypedEvent<'ApplicationSubmitted'> {
  const { memberId, membershipType: _t, admittedOn: _a, ...organisation } = payload(n);
  return createEvent({
    type: 'ApplicationSubmitted',
    aggregateId: memberId,
    payload: { ...organisation, applicationId: memberId, submittedAt: '2025-03-01T10:00:00.000Z' },
    producer: 'membership',
  });
}

let nextOffset = 100;
beforeEach(() => (nextOffset = 100));

function incoming(
  value: Buffer | null,
  key: string | null = null,
  headers: Record<string, string> = {},
): IncomingMessage {
  return { topic: Topics.MembershipLifecycle, partition: PARTITION, offset: String(nextOffset++), key, value, headers };
}

const message = (event: TypedEvent, headers: Record<string, string> = {}) =>
  incoming(Buffer.from(JSON.stringify(event)), event.aggregateId, headers);

const ids = (events: TypedEvent[]) => events.map((e) => e.eventId);

// ---- tests -------------------------------------------------------------------------------

describe('EventBatchProcessor', () => {
  it('hands a batch of valid events to the handler in one call, marks the last offset and heartbeats', async () => {
    const events = [memberAdmitted(1), memberAdmitted(2), memberAdmitted(3)];
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    const messages = events.map((e) => message(e));

    await processor.process(messages, control);

    expect(handler.calls).toEqual([ids(events)]);
    expect(control.marked).toEqual([messages[2].offset]);
    expect(control.heartbeats).toBe(1);
    expect(producer.sent).toEqual([]);
  });

  it('hands the decoded, validated events over, in order', async () => {
    const events = [memberAdmitted(1), memberAdmitted(2)];
    let received: TypedEvent[] = [];
    const handler = new FakeHandler(['MemberAdmitted'], (given) => void (received = given));
    const { control, processor } = setup(handler);

    await processor.process(
      events.map((e) => message(e)),
      control,
    );

    expect(received).toEqual(events);
  });

  it('splits a batch into chunks: one handle call, one mark and one heartbeat per chunk', async () => {
    const events = [1, 2, 3, 4, 5].map(memberAdmitted);
    const handler = new FakeHandler(['MemberAdmitted']);
    const { control, processor } = setup(handler, 2);
    const messages = events.map((e) => message(e));

    await processor.process(messages, control);

    expect(handler.calls).toEqual([ids(events.slice(0, 2)), ids(events.slice(2, 4)), ids(events.slice(4))]);
    expect(control.marked).toEqual([messages[1].offset, messages[3].offset, messages[4].offset]);
    expect(control.heartbeats).toBe(3);
  });

  it('skips events of types it does not handle, but still marks their offsets', async () => {
    const admitted = memberAdmitted(1);
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler, 2);
    const messages = [message(applicationSubmitted(2)), message(admitted), message(applicationSubmitted(3))];

    await processor.process(messages, control);

    expect(handler.calls).toEqual([[admitted.eventId]]);
    expect(control.marked).toEqual([messages[1].offset, messages[2].offset]);
    expect(producer.sent).toEqual([]);
  });

  it('skips events of a type this contracts version does not know, without dead-lettering them', async () => {
    const futureType = 'MemberTeleportedToMoonBase';
    expect(isKnownEventType(futureType)).toBe(false);
    const future = { ...memberAdmitted(9), type: futureType };
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    const messages = [incoming(Buffer.from(JSON.stringify(future)))];

    await processor.process(messages, control);

    expect(handler.calls).toEqual([]);
    expect(producer.sent).toEqual([]);
    expect(control.marked).toEqual([messages[0].offset]);
  });

  it('dead-letters a malformed message byte for byte with the reason, and still handles the others', async () => {
    const [a, b] = [memberAdmitted(1), memberAdmitted(2)];
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    const garbage = '{"eventId": "6a1f", "type": "MemberAdm';
    const bad = incoming(Buffer.from(garbage), 'some-key', { traceparent: '00-abc-def-01' });
    const messages = [message(a), bad, message(b)];

    await processor.process(messages, control);

    expect(handler.calls).toEqual([[a.eventId, b.eventId]]);
    expect(producer.sent).toHaveLength(1);
    const [letter] = producer.sent;
    expect(letter.topic).toBe(DLT);
    expect(letter.key).toBe('some-key');
    expect(letter.value).toEqual(Buffer.from(garbage));
    expect(letter.headers).toMatchObject({
      traceparent: '00-abc-def-01',
      [DeadLetterHeaders.sourceTopic]: Topics.MembershipLifecycle,
      [DeadLetterHeaders.sourcePartition]: String(PARTITION),
      [DeadLetterHeaders.sourceOffset]: bad.offset,
      [DeadLetterHeaders.consumerGroup]: CONSUMER,
      [DeadLetterHeaders.attempts]: '0',
    });
    expect(letter.headers?.[DeadLetterHeaders.reason]).toMatch(/^not JSON: /);
    expect(control.marked).toEqual([messages[2].offset]);
  });

  it('dead-letters an event whose payload breaks its contract, naming the field', async () => {
    const good = memberAdmitted(1);
    const broken = memberAdmitted(2);
    broken.payload.contact!.email = 'not-an-address';
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);

    await processor.process([message(good), message(broken)], control);

    expect(handler.calls).toEqual([[good.eventId]]);
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].value).toEqual(Buffer.from(JSON.stringify(broken)));
    expect(producer.sent[0].headers?.[DeadLetterHeaders.reason]).toMatch(
      /^invalid MemberAdmitted payload: contact\.email: /,
    );
  });

  it('dead-letters a tombstone', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    const tombstone = incoming(null, 'org-key');

    await processor.process([tombstone], control);

    expect(handler.calls).toEqual([]);
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].headers?.[DeadLetterHeaders.reason]).toMatch(/tombstone/);
    expect(producer.sent[0].headers?.[DeadLetterHeaders.sourceOffset]).toBe(tombstone.offset);
    expect(control.marked).toEqual([tombstone.offset]);
  });

  it('retries a failed batch one event at a time: every event applied, nothing dead-lettered', async () => {
    const events = [memberAdmitted(1), memberAdmitted(2), memberAdmitted(3)];
    const handler = new FakeHandler(['MemberAdmitted'], (_events, call) => {
      if (call === 1) throw new Error('deadlock detected');
    });
    const { producer, control, wait, processor } = setup(handler);
    const messages = events.map((e) => message(e));

    await processor.process(messages, control);

    expect(handler.calls).toEqual([ids(events), [events[0].eventId], [events[1].eventId], [events[2].eventId]]);
    expect(handler.applied).toEqual(ids(events));
    expect(producer.sent).toEqual([]);
    expect(wait).not.toHaveBeenCalled();
    expect(control.marked).toEqual([messages[2].offset]);
  });

  it('retries a poison event exactly maxAttempts times, dead-letters it and applies its neighbours', async () => {
    const [before, poison, after] = [memberAdmitted(1), memberAdmitted(2), memberAdmitted(3)];
    const handler = new FakeHandler(['MemberAdmitted'], (events) => {
      if (events.some((e) => e.eventId === poison.eventId))
        throw new TypeError('duplicate key value violates unique constraint');
    });
    const { producer, control, wait, processor } = setup(handler);
    const messages = [message(before), message(poison, { traceparent: 'trace-2' }), message(after)];

    await processor.process(messages, control);

    const alone = handler.calls.filter((call) => call.length === 1 && call[0] === poison.eventId);
    expect(alone).toHaveLength(RETRY.maxAttempts);
    expect(handler.calls).toEqual([ids([before, poison, after]), [before.eventId], ...alone, [after.eventId]]);
    expect(handler.applied).toEqual([before.eventId, after.eventId]);

    // a backoff between attempts, none after the last; each within the policy's bounds
    expect(wait).toHaveBeenCalledTimes(RETRY.maxAttempts - 1);
    wait.mock.calls.forEach(([ms], i) => {
      const ceiling = Math.min(RETRY.maxDelayMs, RETRY.initialDelayMs * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
    // heartbeats while backing off, and once for the chunk
    expect(control.heartbeats).toBe(RETRY.maxAttempts - 1 + 1);

    expect(producer.sent).toHaveLength(1);
    const [letter] = producer.sent;
    expect(letter.topic).toBe(DLT);
    expect(letter.key).toBe(poison.aggregateId);
    expect(letter.value).toEqual(Buffer.from(JSON.stringify(poison)));
    expect(letter.headers).toMatchObject({
      traceparent: 'trace-2',
      [DeadLetterHeaders.attempts]: String(RETRY.maxAttempts),
      [DeadLetterHeaders.sourceTopic]: Topics.MembershipLifecycle,
      [DeadLetterHeaders.sourcePartition]: String(PARTITION),
      [DeadLetterHeaders.sourceOffset]: messages[1].offset,
      [DeadLetterHeaders.consumerGroup]: CONSUMER,
    });
    expect(letter.headers?.[DeadLetterHeaders.reason]).toContain('duplicate key value violates unique constraint');
    expect(letter.headers?.[DeadLetterHeaders.reason]).toMatch(
      new RegExp(`^failed ${RETRY.maxAttempts} times: TypeError: `),
    );
    expect(new Date(letter.headers![DeadLetterHeaders.failedAt]).toISOString()).toBe(
      letter.headers![DeadLetterHeaders.failedAt],
    );
    expect(control.marked).toEqual([messages[2].offset]);
  });

  it('gives a lone failing event exactly maxAttempts tries, with a backoff before each retry', async () => {
    const lonely = memberAdmitted(7);
    const handler = new FakeHandler(['MemberAdmitted'], () => {
      throw new Error('database unavailable');
    });
    const { producer, control, wait, processor } = setup(handler);

    await processor.process([message(lonely)], control);

    expect(handler.calls).toEqual(Array.from({ length: RETRY.maxAttempts }, () => [lonely.eventId]));
    expect(wait).toHaveBeenCalledTimes(RETRY.maxAttempts - 1);
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].headers?.[DeadLetterHeaders.attempts]).toBe(String(RETRY.maxAttempts));
  });

  it('dead-letters an event failing with PermanentEventError after one attempt, without backoff', async () => {
    const [ok, doomed] = [memberAdmitted(1), memberAdmitted(2)];
    const handler = new FakeHandler(['MemberAdmitted'], (events) => {
      if (events.some((e) => e.eventId === doomed.eventId))
        throw new PermanentEventError('member 2 was never an applicant');
    });
    const { producer, control, wait, processor } = setup(handler);
    const messages = [message(ok), message(doomed)];

    await processor.process(messages, control);

    expect(handler.calls).toEqual([ids([ok, doomed]), [ok.eventId], [doomed.eventId]]);
    expect(handler.applied).toEqual([ok.eventId]);
    expect(wait).not.toHaveBeenCalled();
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].headers).toMatchObject({
      [DeadLetterHeaders.attempts]: '1',
      [DeadLetterHeaders.reason]: 'permanent: PermanentEventError: member 2 was never an applicant',
      [DeadLetterHeaders.sourceOffset]: messages[1].offset,
    });
    expect(control.marked).toEqual([messages[1].offset]);
  });

  it('rejects, without marking that chunk, when a malformed message cannot be dead-lettered', async () => {
    const [a, b, c] = [memberAdmitted(1), memberAdmitted(2), memberAdmitted(3)];
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler, 2);
    const messages = [message(a), message(b), incoming(Buffer.from('nope')), message(c)];
    producer.failWith = new Error('NOT_ENOUGH_REPLICAS');

    await expect(processor.process(messages, control)).rejects.toThrow('NOT_ENOUGH_REPLICAS');

    expect(producer.sendCalls).toBe(1);
    // the first chunk went through; the second stopped at its dead letter, before its events were applied
    expect(handler.calls).toEqual([[a.eventId, b.eventId]]);
    expect(control.marked).toEqual([messages[1].offset]);
    expect(control.marked).not.toContain(messages[2].offset);
    expect(control.marked).not.toContain(messages[3].offset);
  });

  it('rejects, without marking, when a poison event cannot be dead-lettered', async () => {
    const [ok, poison] = [memberAdmitted(1), memberAdmitted(2)];
    const handler = new FakeHandler(['MemberAdmitted'], (events) => {
      if (events.some((e) => e.eventId === poison.eventId)) throw new Error('boom');
    });
    const { producer, control, processor } = setup(handler);
    producer.failWith = new Error('broker unreachable');
    const messages = [message(ok), message(poison)];

    await expect(processor.process(messages, control)).rejects.toThrow('broker unreachable');

    expect(producer.sendCalls).toBe(1);
    expect(handler.calls.filter((c) => c[0] === poison.eventId && c.length === 1)).toHaveLength(RETRY.maxAttempts);
    expect(control.marked).toEqual([]);
  });

  it('stops without handling or marking anything once the consumer is no longer active', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setup(handler);
    control.activeAnswers = [false];

    await processor.process([message(memberAdmitted(1)), message(memberAdmitted(2))], control);

    expect(handler.calls).toEqual([]);
    expect(control.marked).toEqual([]);
    expect(control.heartbeats).toBe(0);
    expect(producer.sent).toEqual([]);
  });

  it('stops between chunks when the partition is taken away, keeping what was marked', async () => {
    const events = [1, 2, 3, 4].map(memberAdmitted);
    const handler = new FakeHandler(['MemberAdmitted']);
    const { control, processor } = setup(handler, 2);
    control.activeAnswers = [true, false];
    const messages = events.map((e) => message(e));

    await processor.process(messages, control);

    expect(handler.calls).toEqual([ids(events.slice(0, 2))]);
    expect(control.marked).toEqual([messages[1].offset]);
  });

  it('rejects (the batch will be redelivered) when the consumer stops during one-by-one retries', async () => {
    const events = [memberAdmitted(1), memberAdmitted(2)];
    const handler = new FakeHandler(['MemberAdmitted'], (_e, call) => {
      if (call === 1) throw new Error('connection reset');
    });
    const { producer, control, processor } = setup(handler);
    control.activeAnswers = [true, true, false];

    await expect(
      processor.process(
        events.map((e) => message(e)),
        control,
      ),
    ).rejects.toThrow(/consumer stopped/);

    expect(handler.calls).toEqual([ids(events), [events[0].eventId]]);
    expect(control.marked).toEqual([]);
    expect(producer.sent).toEqual([]);
  });
});

// ---- failures of the infrastructure --------------------------------------------------------

/** What node-postgres throws when the server ends the connection (pg_terminate_backend). */
const terminated = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
const brokerAway = () => Object.assign(new Error('Connection error: ECONNREFUSED'), { name: 'KafkaJSConnectionError' });

function setupWithStatus(handler: FakeHandler) {
  const producer = new FakeProducer();
  const control = new FakeControl();
  const status = new ConsumerStatus();
  status.joined();
  /** The status as it was at each wait. */
  const seen: ConsumerStatusView[] = [];
  const wait = jest.fn(async (_ms: number) => void seen.push(status.view()));
  const processor = new EventBatchProcessor(
    handler,
    new DeadLetterPublisher(producer, DLT, CONSUMER),
    RETRY,
    silentLogger(),
    { chunkSize: 500, wait, status },
  );
  return { producer, control, wait, status, seen, processor };
}

describe('EventBatchProcessor and failures of the infrastructure', () => {
  it('waits out a lost database connection far beyond maxAttempts: the whole chunk again, nothing dead-lettered', async () => {
    const events = [1, 2, 3].map(memberAdmitted);
    const outage = RETRY.maxAttempts * 4;
    const handler = new FakeHandler(['MemberAdmitted'], (_events, call) => {
      if (call <= outage) throw terminated();
    });
    const { producer, control, wait, status, seen, processor } = setupWithStatus(handler);
    const messages = events.map((e) => message(e));

    await processor.process(messages, control);

    // every try was the whole chunk in one call (batching kept); no event went one by one
    expect(handler.calls).toHaveLength(outage + 1);
    expect(handler.calls.every((call) => call.length === 3)).toBe(true);
    expect(handler.applied).toEqual(ids(events));
    expect(producer.sent).toEqual([]);
    expect(wait).toHaveBeenCalledTimes(outage);
    // the backoff is capped, and heartbeats keep the group membership meanwhile
    expect(Math.max(...wait.mock.calls.map(([ms]) => ms))).toBeLessThanOrEqual(RETRY.maxDelayMs);
    expect(control.heartbeats).toBe(outage + 1);
    // stalled while waiting, running again after
    expect(new Set(seen.map((view) => view.state))).toEqual(new Set(['stalled']));
    expect(status.view().state).toBe('running');
    expect(control.marked).toEqual([messages[2].offset]);
  });

  it('says why it is stalled while it waits', async () => {
    const handler = new FakeHandler(['MemberAdmitted'], (_events, call) => {
      if (call <= 2) throw terminated();
    });
    const { control, seen, processor } = setupWithStatus(handler);

    await processor.process([message(memberAdmitted(1))], control);

    expect(seen).toEqual([
      expect.objectContaining({
        state: 'stalled',
        reason: expect.stringContaining('administrator command'),
        retries: 1,
      }),
      expect.objectContaining({ state: 'stalled', retries: 2 }),
    ]);
  });

  it('waits out a lost connection of a lone event without using up its tries, then still dead-letters a poison one', async () => {
    const [poison] = [memberAdmitted(9)];
    let calls = 0;
    const handler = new FakeHandler(['MemberAdmitted'], () => {
      calls++;
      // the database is away for 10 tries, then the event itself fails every time
      throw calls <= 10 ? terminated() : new TypeError('no such member');
    });
    const { producer, control, processor } = setupWithStatus(handler);

    await processor.process([message(poison)], control);

    expect(calls).toBe(10 + RETRY.maxAttempts);
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].headers?.[DeadLetterHeaders.attempts]).toBe(String(RETRY.maxAttempts));
    expect(producer.sent[0].headers?.[DeadLetterHeaders.reason]).toMatch(/^failed 3 times: TypeError: no such member/);
  });

  it('keeps trying to dead-letter while the broker is away, then marks the offset', async () => {
    const handler = new FakeHandler(['MemberAdmitted']);
    const { producer, control, processor } = setupWithStatus(handler);
    let refusals = 6;
    const send = producer.send.bind(producer);
    producer.send = async (messages) => {
      if (refusals-- > 0) throw brokerAway();
      return send(messages);
    };
    const malformed = incoming(Buffer.from('{"not": "an event"'));

    await processor.process([malformed], control);

    expect(producer.sent).toHaveLength(1);
    expect(control.marked).toEqual([malformed.offset]);
  });

  it('gives the batch back, marking nothing, when the consumer stops while it waits', async () => {
    const handler = new FakeHandler(['MemberAdmitted'], () => {
      throw terminated();
    });
    const { producer, control, processor } = setupWithStatus(handler);
    control.activeAnswers = [true, true, true, false];

    await expect(
      processor.process([message(memberAdmitted(1)), message(memberAdmitted(2))], control),
    ).rejects.toBeInstanceOf(ConsumerStoppedError);

    expect(handler.calls).toHaveLength(3);
    expect(control.marked).toEqual([]);
    expect(producer.sent).toEqual([]);
  });

  it('gives the batch back when a heartbeat fails while it waits (the group rebalanced)', async () => {
    const handler = new FakeHandler(['MemberAdmitted'], () => {
      throw terminated();
    });
    const { control, processor } = setupWithStatus(handler);
    control.heartbeat = async () => {
      throw Object.assign(new Error('The group is rebalancing'), {
        name: 'KafkaJSProtocolError',
        type: 'REBALANCE_IN_PROGRESS',
      });
    };

    await expect(processor.process([message(memberAdmitted(1))], control)).rejects.toThrow(/rebalancing/);
    expect(control.marked).toEqual([]);
  });
});
