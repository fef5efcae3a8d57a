import { Topics, TypedEvent } from '@valley/contracts';
import { eventually, KafkaTestClient, memberAdmittedEvent, uniqueTopicPrefix } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { dropScratchSchema, scratchSchema } from '../testing/scratch-schema';
import { KafkajsTransport } from '../transport/kafkajs.transport';
import { MessageProducer } from '../transport/message-transport';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox-relay';
import { appendToOutbox } from './outbox-writer';

const SCHEMA = 'outbox_int_test';
const logger = pino({ level: 'silent' });

describe('transactional outbox and relay (real Postgres and Kafka)', () => {
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',');
  let prefix: string;
  let db: DataSource;
  let transport: KafkajsTransport;
  let producer: MessageProducer;
  let kafka: KafkaTestClient;

  beforeEach(async () => {
    prefix = uniqueTopicPrefix();
    db = await scratchSchema(SCHEMA);
    transport = new KafkajsTransport({ clientId: 'outbox-test', brokers, topicPrefix: prefix, logger });
    await transport.ensureTopics([{ topic: Topics.MembershipLifecycle, partitions: 3 }]);
    producer = await transport.createProducer();
    kafka = new KafkaTestClient(brokers, prefix);
  });

  afterEach(async () => {
    await transport.close();
    await kafka.close();
    await dropScratchSchema(db, SCHEMA);
  });

  /** A state change and its events, in one transaction. */
  const change = (events: TypedEvent[], fail = false) =>
    db.transaction(async (manager) => {
      for (const event of events) {
        await manager.query(`INSERT INTO ${SCHEMA}.things (id, name) VALUES ($1, $2)`, [randomUUID(), event.type]);
      }
      await appendToOutbox(manager, events);
      if (fail) throw new Error('the use case failed after writing');
    });

  const relay = (p: MessageProducer = producer) =>
    new OutboxRelay(db, p, logger, { batchSize: 50, pollIntervalMs: 50 });

  const drain = async (r: OutboxRelay) => {
    while ((await r.publishPendingBatch()) > 0);
  };

  const publishedEventIds = async () =>
    (await kafka.readAll(Topics.MembershipLifecycle)).map((m) => JSON.parse(m.value!).eventId as string);

  it('publishes nothing for a change that rolled back, and exactly what committed', async () => {
    const rolledBack = memberAdmittedEvent();
    const committed = memberAdmittedEvent();
    await expect(change([rolledBack], true)).rejects.toThrow('the use case failed');
    await change([committed]);

    expect(await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.things`)).toEqual([{ n: 1 }]);
    await drain(relay());
    expect(await publishedEventIds()).toEqual([committed.eventId]);
  });

  it('delivers what was committed while no relay ran, once the relay comes back', async () => {
    const events = [memberAdmittedEvent(), memberAdmittedEvent(), memberAdmittedEvent()];
    await change(events);
    expect(await kafka.readAll(Topics.MembershipLifecycle, 0)).toEqual([]);

    const restarted = relay();
    restarted.start();
    try {
      await eventually(async () => expect(await restarted.lag()).toEqual({ waiting: 0, oldestWaitingAgeMs: null }));
    } finally {
      await restarted.stop();
    }
    expect((await publishedEventIds()).sort()).toEqual(events.map((e) => e.eventId).sort());
    const rows = await db.getRepository(OutboxMessage).find();
    expect(rows.every((row) => row.publishedAt !== null)).toBe(true);
  });

  it('a relay that dies after Kafka acknowledged but before marking re-sends the same events, ids unchanged', async () => {
    const events = [memberAdmittedEvent(), memberAdmittedEvent()];
    await change(events);
    const dyingProducer: MessageProducer = {
      send: async (messages) => {
        await producer.send(messages);
        throw new Error('process killed before the outbox rows were marked');
      },
      disconnect: async () => undefined,
    };
    await expect(relay(dyingProducer).publishPendingBatch()).rejects.toThrow('process killed');
    expect((await relay().lag()).waiting).toBe(2);

    await drain(relay());
    const ids = await publishedEventIds();
    // At least once: each event twice with the same eventId, which consumers de-duplicate (inbox).
    expect(ids.sort()).toEqual([...events, ...events].map((e) => e.eventId).sort());
  });

  it('two relays at once publish every event exactly once, in order per aggregate', async () => {
    const aggregates = Array.from({ length: 10 }, () => randomUUID());
    const sequence: TypedEvent[] = [];
    for (let round = 0; round < 12; round++) {
      const batch = aggregates.map((memberId) => memberAdmittedEvent({ memberId, legalName: `Round ${round}` }));
      sequence.push(...batch);
      await change(batch);
    }
    const secondProducer = await transport.createProducer();
    const relays = [relay(), relay(secondProducer)];
    relays.forEach((r) => r.start());
    try {
      await eventually(async () => expect((await relays[0].lag()).waiting).toBe(0));
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }

    const messages = await kafka.readAll(Topics.MembershipLifecycle);
    const ids = messages.map((m) => JSON.parse(m.value!).eventId);
    expect(new Set(ids).size).toBe(sequence.length);
    expect(ids).toHaveLength(sequence.length);
    for (const memberId of aggregates) {
      const expected = sequence.filter((e) => e.aggregateId === memberId).map((e) => e.eventId);
      const observed = messages
        .filter((m) => m.key === memberId)
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((m) => JSON.parse(m.value!).eventId);
      expect(observed).toEqual(expected);
    }
  });
});
