#!/usr/bin/env node
// Smoke test: does kafkajs (the repo's node_modules copy) work against the local broker?
// Kafka 4 removed many old protocol versions (KIP-896), so every call the services rely on
// is exercised once. Prints one line per check; exits 0 if all pass, 1 on the first failure
// (naming the failing call), 2 if kafkajs is not installed.
//
//   deploy/local/kafka/kafka.sh start
//   node deploy/local/kafka/kafkajs-smoke.cjs [host:port]    (default 127.0.0.1:${KAFKA_PORT:-9092})
//
// Uses a fresh topic and group per run and deletes them at the end.
'use strict';

const path = require('node:path');
const crypto = require('node:crypto');

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
let kafkajs;
try {
  kafkajs = require(require.resolve('kafkajs', { paths: [repoRoot] }));
} catch (err) {
  console.error(`smoke: kafkajs not found under ${repoRoot}/node_modules (run npm ci): ${err.message}`);
  process.exit(2);
}
const { Kafka, logLevel } = kafkajs;
const kafkajsVersion = require(require.resolve('kafkajs/package.json', { paths: [repoRoot] })).version;

const broker = process.argv[2] || `127.0.0.1:${process.env.KAFKA_PORT || 9092}`;
const runId = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
const topic = `valley.smoke.${runId}`;
const groupId = `valley-smoke-${runId}`;
const PARTITIONS = 3;
const BATCH1 = 30;
const BATCH2 = 30;
const OVERALL_TIMEOUT_MS = 120_000;

// Collect every kafkajs log line at WARN or above, to report protocol complaints.
const kafkajsWarnings = [];
const logCreator =
  () =>
  ({ namespace, level, label, log }) => {
    if (level <= logLevel.WARN) {
      const { message, ...extra } = log;
      delete extra.timestamp;
      delete extra.logger;
      kafkajsWarnings.push(`${label} [${namespace}] ${message} ${JSON.stringify(extra)}`);
    }
  };

const kafka = new Kafka({
  clientId: 'valley-kafkajs-smoke',
  brokers: [broker],
  connectionTimeout: 3000,
  requestTimeout: 10000,
  logLevel: logLevel.WARN,
  logCreator,
});

// Every (API, version) kafkajs negotiated with the broker during the run.
const apisUsed = new Set();

let passed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    passed += 1;
    console.log(`ok   ${name}${detail ? ` - ${detail}` : ''} (${Date.now() - t0} ms)`);
  } catch (err) {
    console.log(`FAIL ${name}: ${err && (err.stack || err.message || err)}`);
    if (err && err.type) console.log(`     kafka error type: ${err.type}`);
    throw Object.assign(new Error(`check failed: ${name}`), { reported: true });
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

async function waitFor(what, predicate, timeoutMs = 30_000, stepMs = 200) {
  const t0 = Date.now();
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

async function main() {
  console.log(`kafkajs ${kafkajsVersion} against ${broker}; topic ${topic}, group ${groupId}`);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumerA = kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    rebalanceTimeout: 20_000,
  });
  const consumerB = kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    rebalanceTimeout: 20_000,
  });
  const cleanups = [];
  for (const client of [admin, producer, consumerA, consumerB]) {
    client.on(client.events.REQUEST, ({ payload }) => apisUsed.add(`${payload.apiName} v${payload.apiVersion}`));
  }

  try {
    // ------------------------------------------------------------------ admin
    await check('admin.connect', () => admin.connect());
    cleanups.push(() => admin.disconnect());

    await check('admin.createTopics', async () => {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      assert(created === true, `createTopics returned ${created}`);
      return `${PARTITIONS} partitions`;
    });

    await check('admin.listTopics', async () => {
      const topics = await admin.listTopics();
      assert(topics.includes(topic), `${topic} not in listTopics`);
      return `${topics.length} topics`;
    });

    await check('admin.fetchTopicMetadata', async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      assert(topics.length === 1 && topics[0].name === topic, 'wrong topic in metadata');
      const parts = topics[0].partitions;
      assert(parts.length === PARTITIONS, `expected ${PARTITIONS} partitions, got ${parts.length}`);
      assert(
        parts.every((p) => p.leader >= 0),
        'a partition has no leader',
      );
      return `partitions ${parts.map((p) => `${p.partitionId}@leader${p.leader}`).join(',')}`;
    });

    await check('admin.describeConfigs (topic retention.ms)', async () => {
      const res = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
      });
      const entry = res.resources[0].configEntries.find((e) => e.configName === 'retention.ms');
      assert(entry, 'retention.ms missing');
      return `retention.ms=${entry.configValue}`;
    });

    // ------------------------------------------------------------------ produce
    await check('producer.connect (idempotent)', () => producer.connect());
    cleanups.push(() => producer.disconnect());

    const sent = new Set();
    const produce = async (from, count, phase) => {
      const messages = [];
      for (let i = from; i < from + count; i += 1) {
        const value = `${phase}-${i}`;
        sent.add(value);
        messages.push({ key: `key-${i % 7}`, value, headers: { phase } });
      }
      const res = await producer.send({ topic, acks: -1, messages });
      assert(Array.isArray(res) && res.length > 0, 'send returned no record metadata');
      assert(
        res.every((r) => r.errorCode === 0),
        `errors: ${JSON.stringify(res)}`,
      );
      return res;
    };

    await check(`producer.send acks=-1 (${BATCH1} messages)`, async () => {
      const res = await produce(0, BATCH1, 'b1');
      return `to partitions ${res
        .map((r) => r.partition)
        .sort()
        .join(',')}`;
    });

    let highWater = {};
    await check('admin.fetchTopicOffsets', async () => {
      const offs = await admin.fetchTopicOffsets(topic);
      highWater = Object.fromEntries(offs.map((o) => [o.partition, Number(o.high)]));
      const total = sum(Object.values(highWater));
      assert(total === BATCH1, `high watermarks sum to ${total}, expected ${BATCH1}`);
      return `high ${JSON.stringify(highWater)}`;
    });

    // ------------------------------------------------------------------ consume (A)
    const received = [];
    const byConsumer = { A: [], B: [] };
    const joins = { A: [], B: [] };
    const makeRunner = (name, consumer) => ({
      autoCommit: true,
      autoCommitInterval: 500,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) break;
          const v = m.value.toString();
          received.push(v);
          byConsumer[name].push(v);
          resolveOffset(m.offset);
          await heartbeat();
        }
        await commitOffsetsIfNecessary();
      },
    });
    for (const [name, c] of [
      ['A', consumerA],
      ['B', consumerB],
    ]) {
      c.on(c.events.GROUP_JOIN, (e) => {
        const assigned = e.payload.memberAssignment[topic] || [];
        joins[name].push(assigned.slice().sort());
      });
    }

    await check('consumer A connect + subscribe + run (eachBatch)', async () => {
      await consumerA.connect();
      cleanups.push(() => consumerA.disconnect());
      await consumerA.subscribe({ topics: [topic], fromBeginning: true });
      await consumerA.run(makeRunner('A', consumerA));
      await waitFor('consumer A to join the group', () => joins.A.length > 0);
      return `assigned partitions ${joins.A[0].join(',')}`;
    });

    await check(`consumer A receives all ${BATCH1} messages`, async () => {
      await waitFor('batch 1', () => received.length >= BATCH1);
      const uniq = new Set(received);
      assert(uniq.size === BATCH1, `got ${uniq.size} distinct of ${BATCH1}`);
      return `${received.length} received`;
    });

    await check('consumer.commitOffsets (explicit)', async () => {
      await consumerA.commitOffsets(
        Object.entries(highWater).map(([partition, high]) => ({
          topic,
          partition: Number(partition),
          offset: String(high),
        })),
      );
    });

    await check('admin.fetchOffsets == high watermarks (explicit commit)', async () => {
      const res = await admin.fetchOffsets({ groupId, topics: [topic] });
      const parts = res.find((t) => t.topic === topic).partitions;
      for (const p of parts) {
        assert(
          Number(p.offset) === highWater[p.partition],
          `partition ${p.partition}: committed ${p.offset}, high ${highWater[p.partition]}`,
        );
      }
      return parts.map((p) => `p${p.partition}=${p.offset}`).join(' ');
    });

    await check('admin.describeGroups (1 member, Stable)', async () => {
      const { groups } = await admin.describeGroups([groupId]);
      const g = groups[0];
      assert(g.state === 'Stable', `state ${g.state}`);
      assert(g.members.length === 1, `${g.members.length} members`);
      return `${g.state}, protocol ${g.protocolType}/${g.protocol}, ${g.members.length} member`;
    });

    // ------------------------------------------------------------------ rebalance (B joins)
    await check('consumer B joins the group (rebalance)', async () => {
      const joinsABefore = joins.A.length;
      await consumerB.connect();
      cleanups.push(() => consumerB.disconnect());
      await consumerB.subscribe({ topics: [topic], fromBeginning: true });
      await consumerB.run(makeRunner('B', consumerB));
      await waitFor('both consumers to re-join with a split assignment', () => {
        if (joins.B.length === 0 || joins.A.length <= joinsABefore) return false;
        const a = joins.A[joins.A.length - 1];
        const b = joins.B[joins.B.length - 1];
        return a.length > 0 && b.length > 0 && a.length + b.length === PARTITIONS && a.every((p) => !b.includes(p));
      });
      return `A=[${joins.A[joins.A.length - 1]}] B=[${joins.B[joins.B.length - 1]}]`;
    });

    await check('admin.describeGroups (2 members, Stable)', async () => {
      const g = await waitFor('group Stable with 2 members', async () => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0].state === 'Stable' && groups[0].members.length === 2 ? groups[0] : false;
      });
      return `${g.state}, ${g.members.length} members`;
    });

    await check(`producer.send after rebalance (${BATCH2} messages), consumed once by A+B`, async () => {
      await produce(BATCH1, BATCH2, 'b2');
      await waitFor('batch 2', () => new Set(received).size >= BATCH1 + BATCH2);
      const b2 = received.filter((v) => v.startsWith('b2-'));
      const b1Again = received.filter((v) => v.startsWith('b1-')).length - BATCH1;
      assert(new Set(b2).size === BATCH2, `got ${new Set(b2).size} distinct of ${BATCH2}`);
      assert(b1Again === 0, `${b1Again} batch-1 messages redelivered despite the committed offsets`);
      const fromA = byConsumer.A.filter((v) => v.startsWith('b2-')).length;
      const fromB = byConsumer.B.filter((v) => v.startsWith('b2-')).length;
      assert(fromA > 0 && fromB > 0, `A got ${fromA}, B got ${fromB}: expected both to consume`);
      return `A consumed ${fromA}, B consumed ${fromB}`;
    });

    await check('auto commit catches up (admin.fetchOffsets == new high watermarks)', async () => {
      const offs = await admin.fetchTopicOffsets(topic);
      const hw = Object.fromEntries(offs.map((o) => [o.partition, Number(o.high)]));
      assert(sum(Object.values(hw)) === BATCH1 + BATCH2, `high watermarks ${JSON.stringify(hw)}`);
      const parts = await waitFor(
        'auto-committed offsets',
        async () => {
          const res = await admin.fetchOffsets({ groupId, topics: [topic] });
          const ps = res.find((t) => t.topic === topic).partitions;
          return ps.every((p) => Number(p.offset) === hw[p.partition]) ? ps : false;
        },
        15_000,
        300,
      );
      return parts.map((p) => `p${p.partition}=${p.offset}`).join(' ');
    });

    // ------------------------------------------------------------------ teardown
    await check('consumers disconnect (leave group)', async () => {
      await Promise.all([consumerB.disconnect(), consumerA.disconnect()]);
    });

    await check('admin.deleteGroups', async () => {
      const res = await waitFor(
        'empty group to be deletable',
        async () => {
          try {
            return await admin.deleteGroups([groupId]);
          } catch (err) {
            if (err.type === 'NON_EMPTY_GROUP' || /NON_EMPTY_GROUP|not empty/i.test(String(err.message))) return false;
            throw err;
          }
        },
        15_000,
        500,
      );
      assert(res[0].errorCode === 0, JSON.stringify(res));
    });

    await check('admin.deleteTopics', async () => {
      await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      await waitFor(
        'topic to disappear from listTopics',
        async () => !(await admin.listTopics()).includes(topic),
        15_000,
        300,
      );
    });

    await check('producer.disconnect + admin.disconnect', async () => {
      await producer.disconnect();
      await admin.disconnect();
    });
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  }
}

const timer = setTimeout(() => {
  console.log(`FAIL overall timeout of ${OVERALL_TIMEOUT_MS} ms`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

main().then(
  () => {
    clearTimeout(timer);
    if (kafkajsWarnings.length) {
      console.log(`kafkajs logged ${kafkajsWarnings.length} warning/error line(s):`);
      for (const w of kafkajsWarnings) console.log(`  ${w}`);
    } else {
      console.log('kafkajs logged no warnings or errors');
    }
    console.log(`protocol versions used: ${[...apisUsed].sort().join(', ')}`);
    console.log(`smoke: ${passed} passed, 0 failed`);
    process.exit(0);
  },
  (err) => {
    clearTimeout(timer);
    if (!err.reported) console.log(`FAIL ${err && (err.stack || err.message)}`);
    if (kafkajsWarnings.length) {
      console.log('kafkajs log (warn/error):');
      for (const w of kafkajsWarnings) console.log(`  ${w}`);
    }
    console.log(`smoke: ${passed} passed, 1 failed`);
    process.exit(1);
  },
);
