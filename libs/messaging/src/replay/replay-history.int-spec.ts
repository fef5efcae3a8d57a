import { EventType, Topics, TypedEvent } from '@valley/contracts';
import { KafkaTestClient, memberAdmittedEvent, uniqueTopicPrefix } from '@valley/testing';
import pino from 'pino';
import { EventHandler } from '../consumer/event-handler';
import { KafkajsTransport } from '../transport/kafkajs.transport';
import { replayHistory } from './replay-history';

const logger = pino({ level: 'silent' });

class RecordingHandler implements EventHandler {
  readonly consumerName = 'replay-int-test';
  readonly topics: readonly string[] = [Topics.MembershipLifecycle];
  readonly handles: readonly EventType[] = ['MemberAdmitted'];
  readonly seen: string[] = [];

  async handle(events: TypedEvent[]): Promise<void> {
    this.seen.push(...events.map((e) => e.eventId));
  }
}

describe('replayHistory (real Kafka)', () => {
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',');
  const prefix = uniqueTopicPrefix();
  const transport = new KafkajsTransport({ clientId: 'replay-test', brokers, topicPrefix: prefix, logger });
  const kafka = new KafkaTestClient(brokers, prefix);

  beforeAll(() => transport.ensureTopics([{ topic: Topics.MembershipLifecycle, partitions: 3 }]));

  afterAll(async () => {
    await transport.close();
    await kafka.close();
  });

  it('feeds every event on the topic, across partitions, through the handler, then stops', async () => {
    const history = Array.from({ length: 300 }, () => memberAdmittedEvent());
    await kafka.produce(
      Topics.MembershipLifecycle,
      history.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
    );
    const handler = new RecordingHandler();
    const reports: number[] = [];

    const result = await replayHistory({
      service: 'directory',
      transport,
      handler,
      logger,
      onProgress: ({ read }) => reports.push(read),
    });

    expect(result).toEqual({ read: 300, total: 300 });
    expect(handler.seen.sort()).toEqual(history.map((e) => e.eventId).sort());
    expect(reports[reports.length - 1]).toBe(300);

    // A second replay reads the same history again, and nothing more.
    const again = new RecordingHandler();
    await replayHistory({ service: 'directory', transport, handler: again, logger });
    expect(again.seen).toHaveLength(300);
  });

  it('skips a topic nobody has created yet', async () => {
    const handler = new (class extends RecordingHandler {
      override readonly topics = [Topics.MembershipLifecycle, Topics.NotificationDeliveries];
    })();
    const result = await replayHistory({ service: 'directory', transport, handler, logger });
    expect(result.total).toBe(300);
    expect(handler.seen).toHaveLength(300);
  });

  it('returns at once for an empty history', async () => {
    const empty = new KafkajsTransport({ clientId: 'replay-test', brokers, topicPrefix: uniqueTopicPrefix(), logger });
    try {
      await empty.ensureTopics([{ topic: Topics.MembershipLifecycle, partitions: 3 }]);
      const handler = new RecordingHandler();
      expect(await replayHistory({ service: 'directory', transport: empty, handler, logger })).toEqual({
        read: 0,
        total: 0,
      });
    } finally {
      await empty.close();
    }
  });
});
