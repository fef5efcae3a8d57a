#!/usr/bin/env node
// One readiness probe for the local broker: connect with kafkajs and do a metadata
// round-trip (admin.listTopics). Exit 0 when it answers, 1 otherwise.
// Used by kafka.sh start, which calls it in a loop; usable on its own too:
//   node deploy/local/kafka/wait-ready.cjs [host:port[,host:port...]] [brokers]
// (default 127.0.0.1:${KAFKA_PORT:-9092}); with `brokers`, the cluster must also list that many.
'use strict';

const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
let Kafka, logLevel;
try {
  ({ Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [repoRoot] })));
} catch (err) {
  console.error(`wait-ready: kafkajs not found under ${repoRoot}/node_modules (run npm ci): ${err.message}`);
  process.exit(2);
}

const broker = process.argv[2] || `127.0.0.1:${process.env.KAFKA_PORT || 9092}`;
const expectedBrokers = Number(process.argv[3] || 0);

async function main() {
  const kafka = new Kafka({
    clientId: 'valley-kafka-wait-ready',
    brokers: broker.split(','),
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const timer = setTimeout(() => {
    console.error(`wait-ready: ${broker} did not answer within 8 s`);
    process.exit(1);
  }, 8000);
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (expectedBrokers > 0) {
      const { brokers } = await admin.describeCluster();
      if (brokers.length < expectedBrokers)
        throw new Error(`${brokers.length} of ${expectedBrokers} brokers registered`);
    }
    console.log(`wait-ready: ${broker} answered metadata (${topics.length} topics)`);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`wait-ready: ${broker} not ready: ${err && err.message}`);
    process.exit(1);
  },
);
