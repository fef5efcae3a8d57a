import { deadLetterTopic, EventType, Topics, TypedEvent } from '@valley/contracts';
import { eventually, KafkaTestClient, memberAdmittedEvent, uniqueTopicPrefix } from '@valley/testing';
import pino from 'pino';
import { DeadLetterHeaders } from '../consumer/dead-letter';
import { EventHandler } from '../consumer/event-handler';
import { KafkajsTransport } from '../transport/kafkajs.transport';
import { ConsumerRegistry } from './consumer-registry';
import { EventConsumerHost } from './event-consumer.host';
import { MessagingOptions } from './messaging.options';

const logger = pino({ level: 'silent' });

/** The consumer's options, transport and a test client, on topics of their own (a fresh prefix). */
function testConsumerSetup(partitions: number) {
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',');
  const prefix = uniqueTopicPrefix();
  const options: MessagingOptions = {
    service: 'directory',
    brokers,
    topicPrefix: prefix,
    logger,
    retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
    defaultPartitions: partitions,
    sessionTimeoutMs: 8_000,
  };
  const transport = new KafkajsTransport({ clientId: 'consumer-test', brokers, topicPrefix: prefix, logger });
  return { options, transport, kafka: new KafkaTestClient(brokers, prefix) };
}

class RecordingHandler implements EventHandler {
  readonly consumerName = 'consumer-int-test';
  readonly topics = [Topics.MembershipLifecycle];
  readonly handles: readonly EventType[] = ['MemberAdmitted'];
  readonly applied: string[] = [];
  readonly attempts = new Map<string, number>();
  readonly poison = new Set<string>();

  async handle(events: TypedEvent[]): Promise<void> {
    for (const event of events) this.attempts.set(event.eventId, (this.attempts.get(event.eventId) ?? 0) + 1);
    const bad = events.find((e) => this.poison.has(e.eventId));
    if (bad) throw new Error(`cannot apply ${bad.eventId}`);
    this.applied.push(...events.map((e) => e.eventId));
  }
}

describe('event consumer: bounded retries and dead letters (real Kafka)', () => {
  const { options, transport, kafka } = testConsumerSetup(1);
  const handler = new RecordingHandler();
  let host: EventConsumerHost;

  beforeAll(async () => {
    await transport.ensureTopics(
      [Topics.MembershipLifecycle, deadLetterTopic('directory')].map((topic) => ({ topic, partitions: 1 })),
    );
    host = new EventConsumerHost(handler, transport, await transport.createProducer(), options, new ConsumerRegistry());
    host.start();
  });

  afterAll(async () => {
    await host.stop();
    await transport.close();
    await kafka.close();
  });

  it('dead-letters a poison event after the last attempt and a malformed one at once, and goes on', async () => {
    const [good1, poison, good2] = [memberAdmittedEvent(), memberAdmittedEvent(), memberAdmittedEvent()];
    handler.poison.add(poison.eventId);
    const sent = await kafka.produce(Topics.MembershipLifecycle, [
      { key: good1.aggregateId, value: JSON.stringify(good1) },
      { key: poison.aggregateId, value: JSON.stringify(poison) },
      { key: 'garbage', value: '{"this is": "not an envelope"' },
      { key: good2.aggregateId, value: JSON.stringify(good2) },
    ]);
    const last = Number(sent[0].baseOffset) + 3;
    await kafka.waitForGroupPast(handler.consumerName, Topics.MembershipLifecycle, 0, String(last));

    expect(handler.applied).toEqual(expect.arrayContaining([good1.eventId, good2.eventId]));
    expect(handler.applied).not.toContain(poison.eventId);
    // one try in the batch, then maxAttempts on its own
    expect(handler.attempts.get(poison.eventId)).toBe(1 + options.retry.maxAttempts);

    const letters = await eventually(async () => {
      const found = await kafka.readAll(deadLetterTopic('directory'), 0);
      expect(found).toHaveLength(2);
      return found;
    });
    const byKey = new Map(letters.map((l) => [l.key, l]));
    const poisoned = byKey.get(poison.aggregateId)!;
    expect(JSON.parse(poisoned.value!).eventId).toBe(poison.eventId);
    expect(poisoned.headers[DeadLetterHeaders.reason]).toContain(
      `failed 3 times: Error: cannot apply ${poison.eventId}`,
    );
    expect(poisoned.headers[DeadLetterHeaders.attempts]).toBe('3');
    expect(poisoned.headers[DeadLetterHeaders.consumerGroup]).toBe(handler.consumerName);
    expect(poisoned.headers[DeadLetterHeaders.sourceTopic]).toBe(Topics.MembershipLifecycle);
    const garbage = byKey.get('garbage')!;
    expect(garbage.value).toBe('{"this is": "not an envelope"');
    expect(garbage.headers[DeadLetterHeaders.reason]).toMatch(/^not JSON/);
  });
});

describe('event consumer: partitions side by side where the handler says so (real Kafka)', () => {
  const { options, transport, kafka } = testConsumerSetup(2);
  const applied: string[] = [];
  const gaveUpWaiting: string[] = [];
  const inFlight = new Set<string>();
  let pair: [string, string] = ['', ''];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Until `condition`, for at most 5 s (then noted: the two batches were not in flight together). */
  const waitFor = async (condition: () => boolean, who: string) => {
    for (const deadline = Date.now() + 5_000; !condition(); await sleep(10)) {
      if (Date.now() > deadline) return void gaveUpWaiting.push(who);
    }
  };
  const handler: EventHandler = {
    consumerName: 'consumer-concurrency-int-test',
    topics: [Topics.MembershipLifecycle],
    handles: ['MemberAdmitted'],
    partitionsConcurrently: 2,
    async handle(events) {
      // Each of the pair's batches waits until the other's is in flight too.
      for (const [mine, theirs] of [pair, [pair[1], pair[0]]]) {
        if (!events.some((e) => e.eventId === mine)) continue;
        inFlight.add(mine);
        await waitFor(() => inFlight.has(theirs), mine);
      }
      applied.push(...events.map((e) => e.eventId));
    },
  };
  let host: EventConsumerHost | undefined;

  beforeAll(async () => {
    await transport.ensureTopics(
      [Topics.MembershipLifecycle, deadLetterTopic('directory')].map((topic) => ({ topic, partitions: 2 })),
    );
  });

  afterAll(async () => {
    await host?.stop();
    await transport.close();
    await kafka.close();
  });

  it('applies the batches of two partitions at once, not one after the other', async () => {
    const first = memberAdmittedEvent();
    const [{ partition: firstPartition }] = await kafka.produce(Topics.MembershipLifecycle, [
      { key: first.aggregateId, value: JSON.stringify(first) },
    ]);
    // Events until one lands on the other partition (the key decides); all there before the consumer starts.
    let other: TypedEvent | null = null;
    while (!other) {
      const event = memberAdmittedEvent();
      const [{ partition }] = await kafka.produce(Topics.MembershipLifecycle, [
        { key: event.aggregateId, value: JSON.stringify(event) },
      ]);
      if (partition !== firstPartition) other = event;
    }
    pair = [first.eventId, other.eventId];
    host = new EventConsumerHost(handler, transport, await transport.createProducer(), options, new ConsumerRegistry());
    host.start();
    await eventually(() => expect(applied).toEqual(expect.arrayContaining(pair)), 20_000);
    expect(gaveUpWaiting).toEqual([]);
  });
});
