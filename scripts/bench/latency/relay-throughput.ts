import { Topics, TypedEvent } from '@valley/contracts';
import { appendToOutbox, KafkajsTransport, OutboxRelay } from '@valley/messaging';
import { memberAdmittedEvent } from '@valley/testing';
import { SingleBar } from 'cli-progress';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { dropScratchSchema, scratchSchema } from '../../../libs/messaging/src/testing/scratch-schema';

export interface RelayThroughput {
  events: number;
  relayPerSecond: number;
  rawPerSecond: number;
  batchSize: number;
}

const SCHEMA = 'latency_bench_relay';

/**
 * The outbox relay against plain kafkajs, side by side in one run: `count` events appended to an
 * outbox table (not timed), then published by OutboxRelay rounds (pipelined batches of `batchSize`, the services'
 * setting); then the same messages sent to the same topic with kafkajs sendBatch in batches of
 * the same size, acknowledged by all in-sync replicas. Events per second each.
 */
export async function relayThroughput(brokers: string[], count: number, batchSize = 500): Promise<RelayThroughput> {
  const logger = pino({ level: 'warn' });
  const prefix = `latency-bench-${randomUUID().slice(0, 8)}.`;
  const transport = new KafkajsTransport({ clientId: 'latency-bench-relay', brokers, topicPrefix: prefix, logger });
  await transport.ensureTopics([{ topic: Topics.MembershipLifecycle, partitions: 3 }]);
  const db = await scratchSchema(SCHEMA);
  const kafka = new Kafka({ clientId: 'latency-bench-raw', brokers, logLevel: logLevel.NOTHING });
  const raw = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const bar = new SingleBar({ format: '[relay] {task} {bar} {value}/{total} events', hideCursor: true });
  try {
    const events: TypedEvent[] = Array.from({ length: count }, () => memberAdmittedEvent());
    bar.start(count, 0, { task: 'appending ' });
    for (let i = 0; i < count; i += 2_000) {
      await db.transaction((manager) => appendToOutbox(manager, events.slice(i, i + 2_000)));
      bar.update(Math.min(count, i + 2_000));
    }

    const producer = await transport.createProducer();
    const relay = new OutboxRelay(db, producer, logger, { batchSize, pollIntervalMs: 100 });
    bar.update(0, { task: 'relaying  ' });
    const relayStart = performance.now();
    let published = 0;
    for (let sent; (sent = await relay.publishPending()) > 0;) {
      published += sent;
      if (published % (batchSize * 10) === 0) bar.update(published);
    }
    const relaySeconds = (performance.now() - relayStart) / 1000;
    bar.update(published);
    await producer.disconnect();

    await raw.connect();
    const messages = events.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) }));
    bar.update(0, { task: 'raw kafkajs' });
    const rawStart = performance.now();
    for (let i = 0; i < messages.length; i += batchSize) {
      await raw.sendBatch({
        acks: -1,
        topicMessages: [{ topic: prefix + Topics.MembershipLifecycle, messages: messages.slice(i, i + batchSize) }],
      });
      if ((i / batchSize) % 10 === 0) bar.update(i);
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;
    bar.update(count);
    bar.stop();
    if (published !== count) throw new Error(`the relay published ${published} of ${count} events`);
    return { events: count, relayPerSecond: count / relaySeconds, rawPerSecond: count / rawSeconds, batchSize };
  } finally {
    bar.stop();
    await raw.disconnect().catch(() => undefined);
    await dropScratchSchema(db, SCHEMA).catch(() => undefined);
    await transport.close().catch(() => undefined);
  }
}
