import { KafkaTestClient, uniqueTopicPrefix } from '@valley/testing';
import pino from 'pino';
import { FaultyBrokerNetwork } from '../testing/faulty-broker-network';
import { KafkajsTransport } from './kafkajs.transport';
import { MessageProducer, OutgoingMessage } from './message-transport';

const logger = pino({ level: 'silent' });
const TOPIC = 'producer.recovery';

/**
 * What the fault tier once met when the broker was away longer than kafkajs retries: a batch the
 * broker wrote without the client hearing of it, then the caller's next batch of another size.
 * With one idempotent kafkajs producer that batch, and every one after it, is refused with
 * OUT_OF_ORDER_SEQUENCE_NUMBER; the transport's producer replaces its client and goes on.
 */
describe('the transport producer after a send whose fate it could not know (real Kafka)', () => {
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',');
  let network: FaultyBrokerNetwork;
  let transport: KafkajsTransport;
  let kafka: KafkaTestClient;
  let prefix: string;

  beforeAll(async () => {
    prefix = uniqueTopicPrefix();
    network = await FaultyBrokerNetwork.start(brokers);
    transport = new KafkajsTransport({
      clientId: 'replacing-producer-test',
      brokers,
      topicPrefix: prefix,
      logger,
      socketFactory: network.socketFactory,
    });
    await transport.ensureTopics([{ topic: TOPIC, partitions: 1 }]);
    kafka = new KafkaTestClient(brokers, prefix);
  });

  afterAll(async () => {
    await transport.close();
    await kafka.close();
    await network.close();
  });

  const batch = (...values: string[]): OutgoingMessage[] => values.map((value) => ({ topic: TOPIC, key: 'k', value }));

  it('publishes the next, larger batch once the broker is back, and what was written stays once', async () => {
    const producer: MessageProducer = await transport.createProducer();
    await producer.send(batch('a1', 'a2'));

    // The broker writes b1..b2, the answer is lost, and it stays unreachable until kafkajs gives up.
    network.loseNextProduceResponse({ thenDown: true });
    const lost = producer.send(batch('b1', 'b2'));
    await expect(lost).rejects.toThrow();
    expect(network.lostResponses).toBe(1);
    network.up();

    // As the outbox relay does: the unmarked rows again, with what was appended meanwhile.
    await producer.send(batch('b1', 'b2', 'c1', 'c2', 'c3'));
    await producer.send(batch('d1'));

    const values = (await kafka.readAll(TOPIC)).map((m) => m.value);
    expect(values).toEqual(['a1', 'a2', 'b1', 'b2', 'b1', 'b2', 'c1', 'c2', 'c3', 'd1']);
  }, 60_000);
});
