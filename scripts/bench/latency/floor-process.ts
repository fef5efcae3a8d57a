/**
 * One side of the event path's floor (floor.ts), as a process of its own: the same round trips as
 * the system's, with bare clients (node:http, pg, kafkajs) and nothing else (no Nest, no TypeORM,
 * no validation, no sealing, no logging, no metrics, no traces).
 *
 *   admit:  POST /admit/:id → one transaction of the admit's six statements (the application
 *           locked, the member inserted, the key read, the outbox row, the application updated,
 *           the two history rows) → 201; a relay woken by NOTIFY reads the outbox, sends to Kafka
 *           (acks by all in-sync replicas) and marks the rows published.
 *   listed: a consumer group reads (the keys' stand-in), applies each partition's batch in one
 *           transaction of the projection's three statements (inbox claim with the rows locked,
 *           upsert, webhook rows), keeps the member in memory (the index's stand-in), then commits
 *           its offsets; GET /members/:id answers 200 from memory, 404 before.
 *
 * With the shape `one-round-trip`, each of the two transactions is one multi-statement query
 * instead (values as escaped literals): the least any design of the same guarantees could do.
 *
 * Argv: role (admit | listed), database URL, schema, brokers, topic, shape (as-system |
 * one-round-trip). Prints "ready <port>".
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client, Pool } from 'pg';

const [role, databaseUrl, schema, brokers, topic, shape] = process.argv.slice(2);
const kafka = new Kafka({ clientId: `latency-floor-${role}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
/** `one-round-trip`: each transaction sent as one multi-statement query, the least any design could do. */
const ONE_ROUND_TRIP = shape === 'one-round-trip';
const eventOf = (id: string) => JSON.stringify({ type: 'MemberAdmitted', memberId: id, at: new Date().toISOString() });

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<number> {
  const server = createServer({ keepAliveTimeout: 60_000 }, handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function admitSide(): Promise<number> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let running = false;
  let again = false;
  const relay = async (): Promise<void> => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        const { rows } = await pool.query<{ id: string; payload: string }>(
          `SELECT id, payload FROM ${schema}.outbox WHERE published_at IS NULL ORDER BY seq LIMIT 500`,
        );
        if (rows.length === 0) continue;
        await producer.send({ topic, acks: -1, messages: rows.map((r) => ({ key: r.id, value: r.payload })) });
        await pool.query(`UPDATE ${schema}.outbox SET published_at = now() WHERE id = ANY($1::uuid[])`, [
          rows.map((r) => r.id),
        ]);
        again = again || rows.length === 500;
      } while (again);
    } finally {
      running = false;
    }
  };
  const listener = new Client({ connectionString: databaseUrl });
  await listener.connect();
  listener.on('notification', () => void relay());
  await listener.query(`LISTEN ${schema}_outbox`);
  setInterval(() => void relay(), 100).unref();

  return listen((request, response) => {
    const id = request.url!.split('/')[2];
    void (async () => {
      const client = await pool.connect();
      try {
        if (ONE_ROUND_TRIP) {
          const [literalId, payload] = [client.escapeLiteral(id), client.escapeLiteral(eventOf(id))];
          await client.query(`BEGIN;
            SELECT id FROM ${schema}.applications WHERE id = ${literalId} FOR UPDATE;
            INSERT INTO ${schema}.members (id, admitted_at) VALUES (${literalId}, now());
            INSERT INTO ${schema}.history (subject, action) VALUES (${literalId}, 'member admitted'), (${literalId}, 'application admitted');
            INSERT INTO ${schema}.outbox (id, payload) VALUES (${literalId}, ${payload});
            SELECT pg_notify('${schema}_outbox', '');
            UPDATE ${schema}.applications SET status = 'admitted' WHERE id = ${literalId};
            COMMIT`);
          response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ memberId: id }));
          return;
        }
        await client.query('BEGIN');
        await client.query(`SELECT id FROM ${schema}.applications WHERE id = $1 FOR UPDATE`, [id]);
        await client.query(`INSERT INTO ${schema}.members (id, admitted_at) VALUES ($1, now())`, [id]);
        // In the services' place: the organisation's key read for sealing the event.
        await client.query(`SELECT count(*) FROM ${schema}.history WHERE subject = $1`, [id]);
        await client.query(
          `WITH row AS (INSERT INTO ${schema}.outbox (id, payload) VALUES ($1, $2) RETURNING id)
           SELECT pg_notify('${schema}_outbox', '') FROM row`,
          [id, eventOf(id)],
        );
        await client.query(`UPDATE ${schema}.applications SET status = 'admitted' WHERE id = $1`, [id]);
        await client.query(
          `INSERT INTO ${schema}.history (subject, action) VALUES ($1, 'application admitted'), ($1, 'member admitted')`,
          [id],
        );
        await client.query('COMMIT');
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ memberId: id }));
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        response.writeHead(500).end(String(error));
      } finally {
        client.release();
      }
    })();
  });
}

async function listedSide(): Promise<number> {
  const listed = new Map<string, string>();
  const consumer = kafka.consumer({ groupId: `${topic}-floor`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 6,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
      const events = batch.messages.map((m) => ({ id: m.key!.toString(), payload: m.value!.toString() }));
      const ids = events.map((e) => e.id);
      // In the services' place: the organisations' keys read before the transaction, to open the events.
      if (!ONE_ROUND_TRIP)
        await pool.query(`SELECT count(*) FROM ${schema}.inbox WHERE event_id = ANY($1::uuid[])`, [ids]);
      const client = await pool.connect();
      try {
        if (ONE_ROUND_TRIP) {
          const literalIds = client.escapeLiteral(`{${ids.join(',')}}`);
          const payloads = client.escapeLiteral(JSON.stringify(events.map((e) => JSON.parse(e.payload))));
          await client.query(`BEGIN;
            CREATE TEMP TABLE IF NOT EXISTS fresh (event_id uuid) ON COMMIT DELETE ROWS;
            WITH claimed AS (INSERT INTO ${schema}.inbox (event_id) SELECT unnest(${literalIds}::uuid[])
                             ON CONFLICT DO NOTHING RETURNING event_id)
              INSERT INTO fresh SELECT event_id FROM claimed;
            SELECT member_id FROM ${schema}.entries WHERE member_id = ANY(${literalIds}::uuid[]) FOR UPDATE;
            INSERT INTO ${schema}.entries (member_id, data)
              SELECT (e->>'memberId')::uuid, e FROM jsonb_array_elements(${payloads}::jsonb) e
              ON CONFLICT (member_id) DO UPDATE SET data = EXCLUDED.data;
            INSERT INTO ${schema}.webhook_events (event_id, data) SELECT event_id, '{}' FROM fresh ON CONFLICT DO NOTHING;
            INSERT INTO ${schema}.webhook_deliveries (event_id) SELECT event_id FROM fresh ON CONFLICT DO NOTHING;
            COMMIT`);
        } else {
          await client.query('BEGIN');
          // The entries' CTE is read (locked), or Postgres would not run it.
          const {
            rows: [{ fresh }],
          } = await client.query<{ fresh: string[] }>(
            `WITH claimed AS (INSERT INTO ${schema}.inbox (event_id) SELECT unnest($1::uuid[])
                              ON CONFLICT DO NOTHING RETURNING event_id),
                  entries AS (SELECT member_id FROM ${schema}.entries WHERE member_id = ANY($1::uuid[]) FOR UPDATE)
             SELECT coalesce((SELECT array_agg(event_id::text) FROM claimed), '{}') AS fresh,
                    (SELECT count(*) FROM entries) AS locked`,
            [ids],
          );
          await client.query(
            `INSERT INTO ${schema}.entries (member_id, data) SELECT * FROM unnest($1::uuid[], $2::jsonb[])
           ON CONFLICT (member_id) DO UPDATE SET data = EXCLUDED.data`,
            [ids, events.map((e) => e.payload)],
          );
          await client.query(
            `WITH recorded AS (INSERT INTO ${schema}.webhook_events (event_id, data)
                               SELECT unnest($1::uuid[]), '{}' ON CONFLICT DO NOTHING)
             INSERT INTO ${schema}.webhook_deliveries (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`,
            [fresh],
          );
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
      for (const event of events) listed.set(event.id, event.payload);
      resolveOffset(batch.messages[batch.messages.length - 1].offset);
      await commitOffsetsIfNecessary();
    },
  });
  return listen((request, response) => {
    const member = listed.get(request.url!.split('/')[2]);
    if (member) response.writeHead(200, { 'content-type': 'application/json' }).end(member);
    else response.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"MEMBER_NOT_LISTED"}');
  });
}

(role === 'admit' ? admitSide() : listedSide()).then(
  (port) => process.stdout.write(`ready ${port}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
