import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Kafka's own produce → consume latency with plain kafkajs on the same broker: `count` messages,
 * one at a time at `perSecond` (acks by all in-sync replicas, as the relay asks), each timed from
 * the send call until a consumer group's eachMessage sees it. Milliseconds.
 */
export async function kafkaProduceConsume(brokers: string[], perSecond: number, count: number): Promise<number[]> {
  const kafka = new Kafka({ clientId: 'latency-bench-baseline', brokers, logLevel: logLevel.NOTHING });
  const topic = `latency-bench-baseline-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key!.toString();
        const at = sentAt.get(key);
        if (at === undefined) return;
        latencies.push(performance.now() - at);
        sentAt.delete(key);
        if (latencies.length === count) done();
      },
    });
    while (!joined) await sleep(50);
    // A first message and a pause: metadata and connections are warm before timing starts.
    await producer.send({ topic, acks: -1, messages: [{ key: 'warm-up', value: 'warm-up' }] });
    await sleep(500);
    const start = performance.now();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const key = `m-${i}`;
      sentAt.set(key, performance.now());
      sends.push(producer.send({ topic, acks: -1, messages: [{ key, value: String(i) }] }));
    }
    await Promise.all(sends);
    await Promise.race([all, sleep(30_000)]);
    return latencies;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
