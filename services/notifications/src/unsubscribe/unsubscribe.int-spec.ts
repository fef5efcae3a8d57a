import { INestApplication } from '@nestjs/common';
import { eventually, KafkaTestClient, lifecycleEvents, ReceivedEmail } from '@valley/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Contact } from '../contacts/contact.entity';
import { Delivery } from '../deliveries/delivery.entity';
import { NotificationsConfig } from '../notifications.config';
import { NotificationsHarness } from '../../test/notifications-harness';
import { UnsubscribeTokens } from './unsubscribe-token';
import { Unsubscribe } from './unsubscribe.entity';

const { memberAdmitted, publish, testContact } = lifecycleEvents;

jest.setTimeout(60_000);

const SECRET = 'unsubscribe-test-secret-0123456789abcdef';

describe('notifications: unsubscribe from announcements (real Kafka, Postgres, SMTP)', () => {
  const harness = new NotificationsHarness();
  const { smtp } = harness;
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaTestClient;

  beforeAll(async () => {
    ({ app, db, kafka } = await harness.start({
      UNSUBSCRIBE_SECRET: SECRET,
      NOTIFICATIONS_PUBLIC_URL: 'https://valley.example.lt/notifications',
    }));
  });

  afterAll(() => harness.stop());

  const listUnsubscribe = (email: ReceivedEmail) =>
    /^List-Unsubscribe: <([^>]+)>/im.exec(email.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '))?.[1];
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
  const forgedToken = (email: string) =>
    new UnsubscribeTokens(
      Object.assign(new NotificationsConfig(), { UNSUBSCRIBE_SECRET: 'an-attackers-guess-at-the-secret-0000' }),
    ).sign(email);
  const admitAndWaitForAll = async (contact = testContact('Newcomer', 'en')) => {
    const admitted = memberAdmitted(contact);
    await publish(kafka, [admitted]);
    return eventually(async () => {
      const rows = await db.getRepository(Delivery).findBy({ eventId: admitted.eventId });
      expect(rows.length).toBeGreaterThan(0);
      // Settled: sent, or failed for good (another file's member in the shared schema may bounce).
      expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
      return rows;
    });
  };

  it('the link in an announcement stops later announcements to that contact, and is recorded', async () => {
    const reader = testContact('Reader', 'en');
    const founder = memberAdmitted(reader, { founding: true, announcements: true });
    await publish(kafka, [founder]);
    await eventually(async () =>
      expect(await db.getRepository(Contact).findOneBy({ organisationId: founder.aggregateId })).not.toBeNull(),
    );

    await admitAndWaitForAll();
    const announcement = await smtp.waitFor((email) => email.to.includes(reader.email));
    const link = listUnsubscribe(announcement)!;
    expect(link).toMatch(/^https:\/\/valley\.example\.lt\/notifications\/unsubscribe\?token=[\w-]+\.[\w-]{43}$/);
    expect(announcement.text).toContain(link);
    const token = tokenOf(link);

    // Following the link shows a confirmation page and records nothing yet (mail scanners follow links).
    const page = await request(app.getHttpServer()).get('/unsubscribe').query({ token }).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post"');
    expect(await db.getRepository(Unsubscribe).findOneBy({ email: reader.email })).toBeNull();

    // The button, or a mail client's one-click unsubscribe (RFC 8058), POSTs to the same URL.
    const done = await request(app.getHttpServer())
      .post('/unsubscribe')
      .query({ token })
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(done.body).toEqual({ unsubscribed: true, unsubscribedAt: expect.any(String) });
    const recorded = await db.getRepository(Unsubscribe).findOneByOrFail({ email: reader.email });
    expect(recorded.organisationId).toBe(founder.aggregateId);
    // Twice is fine, and keeps the first record.
    const again = await request(app.getHttpServer()).post('/unsubscribe').query({ token }).expect(200);
    expect(again.body.unsubscribedAt).toBe(done.body.unsubscribedAt);

    const next = await admitAndWaitForAll();
    expect(next.map((r) => r.recipient)).not.toContain(reader.email);
    expect(smtp.messages.filter((email) => email.to.includes(reader.email))).toHaveLength(1);
  });

  it('refuses a forged or altered token (4xx) and records nothing', async () => {
    const victim = testContact('Victim', 'en');
    const genuine = new UnsubscribeTokens(
      Object.assign(new NotificationsConfig(), { UNSUBSCRIBE_SECRET: SECRET }),
    ).sign(victim.email);
    const [encoded, signature] = genuine.split('.');
    const altered = `${Buffer.from('someone-else@example.lt').toString('base64url')}.${signature}`;

    for (const token of [forgedToken(victim.email), altered, `${encoded}.${'A'.repeat(43)}`]) {
      const forged = await request(app.getHttpServer()).post('/unsubscribe').query({ token }).expect(403);
      expect(forged.body.code).toBe('INVALID_UNSUBSCRIBE_TOKEN');
      await request(app.getHttpServer()).get('/unsubscribe').query({ token }).expect(403);
    }
    for (const query of [{}, { token: 'not a token' }]) {
      const malformed = await request(app.getHttpServer()).post('/unsubscribe').query(query).expect(400);
      expect(malformed.body.fields.map((f: { field: string }) => f.field)).toEqual(['token']);
    }
    expect(await db.getRepository(Unsubscribe).findOneBy({ email: victim.email })).toBeNull();
    expect(await db.getRepository(Unsubscribe).findOneBy({ email: 'someone-else@example.lt' })).toBeNull();
  });
});
