/**
 * The announcement of one admission to many consenting members (default 2,000), end to end:
 * real Kafka, real Postgres, a real SMTP server (SmtpSink) and the real notifications app.
 *
 *   npm run bench:announcement
 *   BENCH_MEMBERS=2000 MAIL_RATE_PER_SECOND=100 npm run bench:announcement
 *
 * It uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/valley_bench,
 * whose notifications schema it drops and re-creates) and its own topic prefix on KAFKA_BROKERS.
 * It seeds the members as founding MemberAdmitted events (no welcomes, no announcements), then
 * publishes one admission and measures. Exit code 1 if not exactly one announcement per member
 * arrived, or if any one- or five-second window saw more messages offered to the server than the
 * configured rate allows (times taken when the server has a whole message, before it parses it;
 * the bound is explained where it is checked).
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { serviceDatabaseUrl, serviceDataSourceOptions, serviceDbPassword, serviceRole } from '@valley/platform';
import { startTestApp } from '@valley/platform/testing';
import { KafkaTestClient, lifecycleEvents, SmtpSink } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { NotificationsAppModule } from '../src/app.module';
import { Contact } from '../src/contacts/contact.entity';
import { notificationsDatabase } from '../src/database/notifications-database';
import { SEND_CONCURRENCY } from '../src/deliveries/delivery-sender.service';
import { Delivery } from '../src/deliveries/delivery.entity';
import { NotificationsConfig } from '../src/notifications.config';

const { memberAdmitted, publish, testContact } = lifecycleEvents;

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2_000);
const RATE = Number(process.env.MAIL_RATE_PER_SECOND ?? 100);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/valley_bench';
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The most messages in any window of `windowMs` (sliding, over receive times). */
function peakInWindow(times: number[], windowMs: number): number {
  let peak = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** A fresh notifications schema in the bench database, owned by the service's own role, migrated. */
async function prepareDatabase(): Promise<void> {
  const database = new URL(DATABASE_URL).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(database) || !/bench|test/.test(database)) {
    throw new Error(`refusing to reset database "${database}": its name must contain "bench" or "test"`);
  }
  const role = serviceRole('notifications');
  const serverUrl = new URL(DATABASE_URL);
  serverUrl.pathname = '/postgres';
  const server = new Client({ connectionString: serverUrl.toString() });
  await server.connect();
  try {
    if (!(await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount) {
      await server.query(`CREATE DATABASE "${database}"`);
    }
    const exists = (await server.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
    await server.query(
      `${exists ? 'ALTER' : 'CREATE'} ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '${serviceDbPassword().replace(/'/g, "''")}'`,
    );
  } finally {
    await server.end();
  }
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${database}" TO "${role}"`);
    await db.query('DROP SCHEMA IF EXISTS notifications CASCADE');
    await db.query(`CREATE SCHEMA notifications AUTHORIZATION "${role}"`);
    await db.query(`ALTER ROLE "${role}" IN DATABASE "${database}" SET search_path = notifications`);
  } finally {
    await db.end();
  }
  const migrations = new DataSource(
    serviceDataSourceOptions({
      url: serviceDatabaseUrl(DATABASE_URL, 'notifications'),
      schema: 'notifications',
      ...notificationsDatabase,
      poolSize: 2,
    }),
  );
  await migrations.initialize();
  try {
    await migrations.runMigrations({ transaction: 'each' });
  } finally {
    await migrations.destroy();
  }
}

async function main(): Promise<void> {
  await prepareDatabase();
  process.env.VALLEY_TEST_DATABASE_URL = DATABASE_URL;
  process.env.VALLEY_TEST_KAFKA_BROKERS = BROKERS;

  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  const smtp = new SmtpSink();
  await smtp.start();
  // When the server has the whole message (end of DATA), before it parses it: what a relay counts.
  const offeredAt: number[] = [];
  smtp.respondWith(() => {
    offeredAt.push(Date.now());
    return undefined;
  });
  const kafka = new KafkaTestClient(BROKERS.split(','), prefix);
  let app: INestApplication | null = null;
  try {
    app = await startTestApp({
      service: 'notifications',
      configClass: NotificationsConfig,
      module: (config) => NotificationsAppModule.forRoot(config),
      topicPrefix: prefix,
      env: { SMTP_URL: smtp.url, MAIL_RATE_PER_SECOND: String(RATE) },
    });
    const db = app.get<DataSource>(getDataSourceToken());

    console.log(`seeding ${MEMBERS} consenting members (founding MemberAdmitted events) ...`);
    const seeded = Date.now();
    const members = Array.from({ length: MEMBERS }, (_, i) =>
      memberAdmitted(testContact('Member', i % 3 === 0 ? 'en' : 'lt'), { founding: true, announcements: true }),
    );
    for (let i = 0; i < members.length; i += 500) await publish(kafka, members.slice(i, i + 500));
    await until(
      'the members to be recorded',
      async () => ((await db.getRepository(Contact).count()) >= MEMBERS ? true : undefined),
      120_000,
    );
    console.log(`  recorded in ${Date.now() - seeded} ms`);

    const newcomer = memberAdmitted(testContact('Newcomer', 'lt'));
    const legalName = newcomer.payload.legalName;
    const isAnnouncement = (subject: string) =>
      subject === `${legalName} tapo klasterio nare` || subject === `${legalName} has become a member of the cluster`;
    const published = Date.now();
    await publish(kafka, [newcomer]);

    const planned = await until(
      'the announcement to be planned',
      async () => {
        const n = await db.getRepository(Delivery).countBy({ eventId: newcomer.eventId, template: 'announcement' });
        return n > 0 ? n : undefined;
      },
      60_000,
    );
    const plannedAt = Date.now();
    const expectedSeconds = MEMBERS / RATE;
    await until(
      `${MEMBERS} announcements`,
      async () => (smtp.messages.filter((m) => isAnnouncement(m.subject)).length >= MEMBERS ? true : undefined),
      (expectedSeconds * 2 + 60) * 1_000,
    );
    const doneAt = Date.now();
    await sleep(3_000); // anything sent twice would arrive now

    const announcements = smtp.messages.filter((m) => isAnnouncement(m.subject));
    const recipients = new Set(announcements.flatMap((m) => m.to));
    // Every message offered: the announcements and the welcome (seeding sends nothing).
    const times = [...offeredAt].sort((a, b) => a - b);
    const spanSeconds = (times[times.length - 1] - times[0]) / 1_000;
    const peak = peakInWindow(times, 1_000);
    const peak5 = peakInWindow(times, 5_000);
    const sent = await db
      .getRepository(Delivery)
      .countBy({ eventId: newcomer.eventId, template: 'announcement', status: 'sent' });
    const withUnsubscribe = announcements.filter((m) =>
      /^List-Unsubscribe: <https?:\/\/[^>]+\/unsubscribe\?token=/im.test(
        m.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '),
      ),
    ).length;
    const retried = await db
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .where('d.event_id = :id AND d.attempts > 1', { id: newcomer.eventId })
      .getCount();
    const welcome = smtp.messages.filter((m) => m.to.includes(newcomer.payload.contact!.email)).length;

    const exact = announcements.length === MEMBERS && recipients.size === MEMBERS && sent === MEMBERS;
    // The sender releases messages on evenly spaced slots (W x rate + 1 slots in any window of W
    // seconds). A message released earlier can still reach the server inside the window (held by
    // a busy connection, a late timer): at most the SEND_CONCURRENCY messages in flight. So any
    // window of W seconds sees at most W x rate + 1 + SEND_CONCURRENCY offers.
    const limit = (seconds: number) => seconds * RATE + 1 + SEND_CONCURRENCY;
    const bounded = peak <= limit(1) && peak5 <= limit(5);
    console.log(
      [
        '',
        `announcement of one admission to ${MEMBERS} consenting members at MAIL_RATE_PER_SECOND=${RATE}`,
        `  planned:            ${planned} deliveries, ${plannedAt - published} ms after the event was published`,
        `  received:           ${announcements.length} announcements, ${recipients.size} distinct recipients, ${withUnsubscribe} with List-Unsubscribe`,
        `  delivery log:       ${sent} announcements marked sent, ${retried} needed more than one try; welcome to the newcomer: ${welcome}`,
        `  first to last:      ${spanSeconds.toFixed(1)} s (ideal at the rate: ${((times.length - 1) / RATE).toFixed(1)} s)`,
        `  achieved rate:      ${((times.length - 1) / spanSeconds).toFixed(1)} messages/s (${times.length} offered, welcome included)`,
        `  peak in any 1 s:    ${peak} messages offered (bound ${limit(1)}: rate + 1 + ${SEND_CONCURRENCY} in flight)`,
        `  peak in any 5 s:    ${peak5} messages offered (bound ${limit(5)})`,
        `  event to last mail: ${((doneAt - published) / 1_000).toFixed(1)} s`,
        `  exactly once:       ${exact ? 'yes' : 'NO'}; rate bounded: ${bounded ? 'yes' : 'NO'}`,
      ].join('\n'),
    );
    if (!exact || !bounded) process.exitCode = 1;
  } finally {
    await app?.close();
    await kafka.close();
    await smtp.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
