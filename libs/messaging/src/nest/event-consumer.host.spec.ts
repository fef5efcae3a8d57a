import pino from 'pino';
import { EventHandler } from '../consumer/event-handler';
import {
  ConsumerSubscription,
  MessageProducer,
  MessageTransport,
  RunningConsumer,
} from '../transport/message-transport';
import { ConsumerRegistry } from './consumer-registry';
import { EventConsumerHost } from './event-consumer.host';
import { MessagingOptions } from './messaging.options';

/** Records every consumer it starts; the test plays the Kafka client through their subscriptions. */
class RecordingTransport {
  readonly started: { subscription: ConsumerSubscription; stopped: boolean }[] = [];

  async startConsumer(subscription: ConsumerSubscription): Promise<RunningConsumer> {
    const record = { subscription, stopped: false };
    this.started.push(record);
    return { stop: async () => void (record.stopped = true) };
  }
}

const handler: EventHandler = {
  consumerName: 'host-spec',
  topics: ['membership.lifecycle'],
  handles: ['MemberAdmitted'],
  handle: async () => undefined,
};
const options: MessagingOptions = {
  service: 'directory',
  brokers: ['127.0.0.1:1'],
  topicPrefix: '',
  logger: pino({ level: 'silent' }),
  retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
  defaultPartitions: 1,
  sessionTimeoutMs: 8_000,
};
const producer: MessageProducer = { send: async () => undefined, disconnect: async () => undefined };

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('EventConsumerHost: a consumer the Kafka client gave up on', () => {
  let transport: RecordingTransport;
  let registry: ConsumerRegistry;
  let host: EventConsumerHost;

  beforeEach(() => {
    transport = new RecordingTransport();
    registry = new ConsumerRegistry();
    host = new EventConsumerHost(handler, transport as unknown as MessageTransport, producer, options, registry);
  });

  afterEach(() => host.stop());

  it('is stopped and replaced by a new one in the same process, which /health shows joining', async () => {
    host.start();
    await until(() => transport.started.length === 1);
    transport.started[0].subscription.onJoined();
    expect(registry.views()['host-spec']).toMatchObject({ state: 'running' });

    transport.started[0].subscription.onFatal(new Error('connect ECONNREFUSED'));
    await until(() => transport.started.length === 2);
    expect(transport.started[0].stopped).toBe(true);
    expect(registry.views()['host-spec']).toMatchObject({
      state: 'joining',
      reason: expect.stringContaining('connect ECONNREFUSED'),
      restarts: 1,
    });

    transport.started[1].subscription.onJoined();
    expect(registry.notReady()).toEqual([]);
  });

  it('is replaced once however often the old one reports, and a stopped host starts none', async () => {
    host.start();
    await until(() => transport.started.length === 1);
    const old = transport.started[0].subscription;
    old.onFatal(new Error('first'));
    old.onFatal(new Error('second'));
    await until(() => transport.started.length === 2);
    await host.stop();
    transport.started[1].subscription.onFatal(new Error('after stop'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(transport.started).toHaveLength(2);
    expect(transport.started[1].stopped).toBe(true);
  });
});
