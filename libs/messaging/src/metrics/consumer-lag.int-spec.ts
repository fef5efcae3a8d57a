import { deadLetterTopic, EventType, Topics, TypedEvent } from '@valley/contracts';
import { eventually, KafkaTestClient, memberAdmittedEvent, uniqueTopicPrefix } from '@valley/testing';
import pino from 'pino';
import { EventHandler } from '../consumer/event-handler';
import { ConsumerRegistry } from '../nest/consumer-registry';
import { EventConsumerHost } from '../nest/event-consumer.host';
import { MessagingOptions } from '../nest/messaging.options';
import { KafkajsTransport } from '../transport/kafkajs.transport';
import { ConsumerLagMonitor } from './consumer-lag';
import { MessagingMetrics, MessagingMetricsSink, NO_MESSAGING_METRICS } from './consumer-metrics';

const logger = pino({ level: 'silent' });
const GROUP = 'lag-int-test';

/** Applies events only while `open`; meanwhile the consumer holds them (and retries, waiting). */
class GatedHandler implements EventHandler {
  readonly consumerName = GROUP;
  readonly topics = [Topics.MembershipLifecycle];
  readonly handles: readonly EventType[] = ['MemberAdmitted'];
  open = false;
  applied = 0;

  async handle(events: TypedEvent[]): Promise<void> {
    while (!this.open) await new Promise((resolve) => setTimeout(resolve, 20));
    this.applied += events.length;
  }
}

describe('consumer lag and hops against a real broker', () => {
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',');
  const prefix = uniqueTopicPrefix();
  const options: MessagingOptions = {
    service: 'directory',
    brokers,
    topicPrefix: prefix,
    logger,
    retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
    defaultPartitions: 1,
    sessionTimeoutMs: 8_000,
  };
  const transport = new KafkajsTransport({ clientId: 'lag-test', brokers, topicPrefix: prefix, logger });
  const kafka = new KafkaTestClient(brokers, prefix);
  const registry = new ConsumerRegistry();
  const monitor = new ConsumerLagMonitor(transport, registry, { cacheMs: 0 });
  const receiveDelays: number[] = [];
  const applyDelays: number[] = [];
  const metrics = new MessagingMetrics();
  metrics.use({
    ...NO_MESSAGING_METRICS,
    receiveDelay: (_consumer, seconds) => void receiveDelays.push(seconds),
    applyDelay: (_consumer, seconds) => void applyDelays.push(seconds),
  } satisfies MessagingMetricsSink);
  const handler = new GatedHandler();
  let host: EventConsumerHost | null = null;

  beforeAll(async () => {
    await transport.ensureTopics(
      [Topics.MembershipLifecycle, deadLetterTopic('directory')].map((topic) => ({ topic, partitions: 1 })),
    );
  });

  afterAll(async () => {
    await host?.stop();
    await transport.close();
    await kafka.close();
  });

  it('reads a new group’s lag as the whole partition, the held events’ age, and 0 once applied', async () => {
    const events = [memberAdmittedEvent(), memberAdmittedEvent(), memberAdmittedEvent()];
    await kafka.produce(
      Topics.MembershipLifecycle,
      events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
    );

    // no group yet: nothing committed, so the lag is everything on the partition
    const before = await transport.consumerOffsets([{ groupId: GROUP, topics: [Topics.MembershipLifecycle] }]);
    expect(before.get(GROUP)).toEqual([
      { topic: Topics.MembershipLifecycle, partition: 0, latestOffset: 3, committedOffset: null, lag: 3 },
    ]);

    host = new EventConsumerHost(handler, transport, await transport.createProducer(), options, registry, metrics);
    host.start();
    // received, held by the closed gate: behind by 3, the oldest held event ageing
    const held = await eventually(async () => {
      const lag = (await monitor.read()).consumers[GROUP];
      expect(lag.messages).toBe(3);
      expect(lag.oldestUnprocessedAgeSeconds).toBeGreaterThan(0.2);
      return lag;
    });
    expect(held.partitions[0]).toMatchObject({ committedOffset: null, lag: 3 });
    expect(receiveDelays.length).toBeGreaterThanOrEqual(3);

    // held a while longer: that wait is part of each event's apply delay
    await new Promise((resolve) => setTimeout(resolve, 300));
    handler.open = true;
    const caughtUp = await eventually(async () => {
      const lag = (await monitor.read()).consumers[GROUP];
      expect(lag.messages).toBe(0);
      return lag;
    });
    expect(caughtUp).toMatchObject({ oldestUnprocessedAgeSeconds: 0, partitions: [{ committedOffset: 3, lag: 0 }] });
    expect(handler.applied).toBe(3);
    expect(applyDelays.length).toBe(3);
    expect(Math.min(...applyDelays)).toBeGreaterThan(0.3);
  });
});
