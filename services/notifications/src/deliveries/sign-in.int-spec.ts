import { INestApplication } from '@nestjs/common';
import { ContactLanguage, createEvent, deadLetterTopic, Topics, TypedEvent } from '@valley/contracts';
import { coordinatorToken } from '@valley/platform/testing';
import { eventually, KafkaTestClient, lifecycleEvents, ReceivedEmail } from '@valley/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { NotificationsHarness } from '../../test/notifications-harness';
import { Contact } from '../contacts/contact.entity';
import { Delivery } from './delivery.entity';

const { memberAdmitted, publish, testContact } = lifecycleEvents;

const PORTAL = 'https://portal.valley.test';
/** A generous bound for "within seconds", not a benchmark: the figure measured is printed. */
const TIME_TO_INBOX_BOUND_MS = 10_000;

jest.setTimeout(90_000);

/**
 * Issue 14: the sign-in link email, against the real Kafka, Postgres and an SMTP server started
 * here. The event is published on the access topic as membership's outbox relay does. The token
 * reaches the email and nothing else: not the delivery log, the deliveries API, the outcome
 * events, the dead letters, nor (once the email went out or failed) the database.
 */
describe('notifications: the member sign-in link email', () => {
  const harness = new NotificationsHarness();
  const { smtp } = harness;
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaTestClient;

  beforeAll(async () => {
    ({ app, db, kafka } = await harness.start({ PORTAL_URL: PORTAL, MAIL_MAX_ATTEMPTS: '30' }));
  });

  afterAll(() => harness.stop());

  const token = () => randomBytes(32).toString('base64url');
  const signInLinkIssued = (
    memberId: string,
    email: string,
    language: ContactLanguage,
    { requestedAt = new Date(), minutes = 15 }: { requestedAt?: Date; minutes?: number } = {},
  ): TypedEvent<'MemberSignInLinkIssued'> =>
    createEvent({
      type: 'MemberSignInLinkIssued',
      producer: 'membership',
      aggregateId: memberId,
      occurredAt: requestedAt,
      payload: {
        memberId,
        email,
        language,
        signInToken: token(),
        expiresAt: new Date(requestedAt.getTime() + minutes * 60_000).toISOString(),
      },
    });
  const publishAccess = (events: TypedEvent[]) =>
    kafka.produce(
      Topics.MembershipAccess,
      events.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) })),
    );
  const deliveriesOf = (eventId: string) => db.getRepository(Delivery).find({ where: { eventId } });
  const settled = (eventId: string, status: 'sent' | 'failed') =>
    eventually(async () => {
      const rows = await deliveriesOf(eventId);
      expect(rows.map((r) => r.status)).toEqual([status]);
      return rows[0];
    });
  const heldTokens = async (deliveryId: string) =>
    db.query(`SELECT 1 FROM "notifications"."sign_in_links" WHERE delivery_id = $1`, [deliveryId]);
  /** Every row of every table of the notifications schema that mentions the text. */
  const rowsMentioning = async (text: string) => {
    const tables: { tablename: string }[] = await db.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'notifications'`,
    );
    const found: string[] = [];
    for (const { tablename } of tables) {
      const rows: unknown[] = await db.query(
        `SELECT 1 FROM "notifications"."${tablename}" t WHERE t::text LIKE '%' || $1 || '%'`,
        [text],
      );
      if (rows.length > 0) found.push(tablename);
    }
    return found;
  };
  const header = (email: ReceivedEmail, name: string) =>
    new RegExp(`^${name}: (.*)$`, 'mi').exec(email.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '))?.[1];
  const to = (address: string) => smtp.messages.filter((email) => email.to.includes(address));

  async function expectTokenNowhereButTheEmail(event: TypedEvent<'MemberSignInLinkIssued'>, deliveryId: string) {
    const secret = event.payload.signInToken;
    const row = await db.getRepository(Delivery).findOneByOrFail({ id: deliveryId });
    expect(JSON.stringify(row)).not.toContain(secret);
    const api = await request(app.getHttpServer())
      .get(`/deliveries?event=${event.eventId}`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .expect(200);
    expect(api.body.items.map((d: { id: string }) => d.id)).toEqual([deliveryId]);
    expect(JSON.stringify(api.body)).not.toContain(secret);
    // The outcome event is on a topic that keeps its history.
    const outcome = await eventually(async () => {
      const found = (await kafka.readAll(Topics.NotificationDeliveries, 0)).find((m) => m.key === deliveryId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(outcome.value).not.toContain(secret);
    expect(outcome.value).not.toContain('@');
    const deadLetters = await kafka.readAll(deadLetterTopic('notifications'), 0);
    expect(deadLetters.filter((m) => m.value?.includes(secret))).toEqual([]);
    // Gone from the database: the token row, and no other table ever had it.
    await eventually(async () => expect(await heldTokens(deliveryId)).toEqual([]));
    expect(await rowsMentioning(secret)).toEqual([]);
    return JSON.parse(outcome.value!) as TypedEvent;
  }

  it.each([
    ['lt', 'Jūsų nuoroda prisijungti prie Gamybos inovacijų slėnio', 'galioja 15 min.'],
    ['en', 'Your sign-in link to Production Innovation Valley', 'valid for 15 minutes'],
  ] as const)(
    'in %s: the email carries the link with the token, within seconds; the token is nowhere else',
    async (language, subject, validity) => {
      // A known member (founding: no welcome, no announcement), whose contact asks; unsubscribed
      // from announcements, which does not stop a transactional email.
      const contact = testContact(`SignIn${language}`, language);
      const admitted = memberAdmitted(contact, { founding: true, announcements: true });
      await publish(kafka, [admitted]);
      await eventually(async () =>
        expect(await db.getRepository(Contact).findOneBy({ organisationId: admitted.aggregateId })).not.toBeNull(),
      );
      await db.query(
        `INSERT INTO "notifications"."unsubscribes" (email, organisation_id, unsubscribed_at) VALUES ($1, $2, now())`,
        [contact.email, admitted.aggregateId],
      );

      const issued = signInLinkIssued(admitted.aggregateId, contact.email.toUpperCase(), language);
      const publishedAt = Date.now();
      await publishAccess([issued]);
      const email = await smtp.waitFor((e) => e.to.includes(contact.email) && e.subject === subject);
      const timeToInboxMs = email.receivedAt.getTime() - publishedAt;
      console.log(`sign-in link email (${language}): ${timeToInboxMs} ms from publishing the event to the SMTP server`);
      expect(timeToInboxMs).toBeLessThan(TIME_TO_INBOX_BOUND_MS);

      const url = `${PORTAL}/sign-in/link?token=${issued.payload.signInToken}`;
      expect(email.text).toContain(url);
      expect(email.html).toContain(`href="${url.replace(/=/g, '&#x3D;')}"`);
      expect(email.text).toContain(contact.name);
      expect(email.text).toContain(admitted.payload.legalName);
      expect(email.text).toContain(validity);
      expect(header(email, 'List-Unsubscribe')).toBeUndefined();

      const row = await settled(issued.eventId, 'sent');
      expect(row).toMatchObject({
        recipient: contact.email,
        recipientKind: 'member',
        template: 'member-sign-in',
        language,
        attempts: 1,
      });
      expect(row.templateData).toMatchObject({
        contactName: contact.name,
        legalName: admitted.payload.legalName,
        expiresAt: issued.payload.expiresAt,
        validityMinutes: 15,
      });
      const outcome = await expectTokenNowhereButTheEmail(issued, row.id);
      expect(outcome).toMatchObject({
        type: 'NotificationSent',
        causationId: issued.eventId,
        payload: {
          template: 'member-sign-in',
          language,
          recipientKind: 'member',
          causeEventType: 'MemberSignInLinkIssued',
        },
      });
    },
  );

  it('a member not (yet) in the contact book still gets its link, greeted without a name', async () => {
    const address = `unknown-${randomUUID().slice(0, 8)}@example.lt`;
    const issued = signInLinkIssued(randomUUID(), address, 'en');
    await publishAccess([issued]);
    const email = await smtp.waitFor((e) => e.to.includes(address));
    expect(email.text).toMatch(/^Hello,/);
    expect(email.text).toContain(`${PORTAL}/sign-in/link?token=${issued.payload.signInToken}`);
    const row = await settled(issued.eventId, 'sent');
    await eventually(async () => expect(await heldTokens(row.id)).toEqual([]));
  });

  it('a replayed event sends no second email, even once the inbox has forgotten it', async () => {
    const address = `replay-${randomUUID().slice(0, 8)}@example.lt`;
    const issued = signInLinkIssued(randomUUID(), address, 'lt');
    await publishAccess([issued]);
    await smtp.waitFor((e) => e.to.includes(address));
    const row = await settled(issued.eventId, 'sent');

    const [again] = await publishAccess([issued]);
    await kafka.waitForGroupPast('notifications-planner', Topics.MembershipAccess, again.partition, again.baseOffset);
    await db.query(`DELETE FROM notifications.inbox_messages WHERE event_id = $1`, [issued.eventId]);
    const [third] = await publishAccess([issued]);
    await kafka.waitForGroupPast('notifications-planner', Topics.MembershipAccess, third.partition, third.baseOffset);
    // A second delivery, had one been planned, would be due at once: give the sender a few rounds.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(to(address)).toHaveLength(1);
    expect((await deliveriesOf(issued.eventId)).map((r) => r.id)).toEqual([row.id]);
    // The replay past the inbox did not store the token again.
    expect(await rowsMentioning(issued.payload.signInToken)).toEqual([]);
  });

  it('a link already expired when the sender gets to it is not sent: failed with the reason, token deleted', async () => {
    const address = `expired-${randomUUID().slice(0, 8)}@example.lt`;
    const issued = signInLinkIssued(randomUUID(), address, 'en', { requestedAt: new Date(Date.now() - 16 * 60_000) });
    await publishAccess([issued]);

    const row = await settled(issued.eventId, 'failed');
    expect(row.lastError).toBe(`sign-in link expired at ${issued.payload.expiresAt} before it could be sent; not sent`);
    const outcome = await expectTokenNowhereButTheEmail(issued, row.id);
    expect(outcome).toMatchObject({ type: 'NotificationFailed', payload: { template: 'member-sign-in' } });
    // Not the event's fault, and nothing a retry could send: no dead letter.
    const deadLetters = await kafka.readAll(deadLetterTopic('notifications'), 0);
    expect(deadLetters.filter((m) => m.value?.includes(issued.eventId))).toEqual([]);
    expect(to(address)).toEqual([]);
  });

  it('a link that expires while the relay keeps answering 4xx is not sent once it has expired', async () => {
    const address = `late-${randomUUID().slice(0, 8)}@example.lt`;
    smtp.respondWith(({ to: recipients }) =>
      recipients.includes(address) ? { code: 451, message: 'Greylisted, try again later' } : undefined,
    );
    try {
      const issued = signInLinkIssued(randomUUID(), address, 'en', { minutes: 5 / 60 });
      await publishAccess([issued]);
      // While it is being retried, the token is in sign_in_links and nowhere else.
      await eventually(async () => {
        const [pending] = await deliveriesOf(issued.eventId);
        expect(pending?.lastError).toMatch(/Greylisted/);
      });
      expect(await rowsMentioning(issued.payload.signInToken)).toEqual(['sign_in_links']);
      const row = await eventually(async () => {
        const [found] = await deliveriesOf(issued.eventId);
        expect(found?.status).toBe('failed');
        return found;
      }, 30_000);
      expect(row.attempts).toBeGreaterThan(1);
      expect(row.lastError).toMatch(/^sign-in link expired at .* before it could be sent; not sent$/);
      await eventually(async () => expect(await heldTokens(row.id)).toEqual([]));
      expect(to(address)).toEqual([]);
    } finally {
      smtp.respondWith(() => undefined);
    }
  });

  it('a 550 answer fails it for good: token deleted, and the dead letter carries the event without it', async () => {
    const address = `refused-${randomUUID().slice(0, 8)}@example.lt`;
    smtp.respondWith(({ to: recipients }) =>
      recipients.includes(address) ? { code: 550, message: 'No such mailbox' } : undefined,
    );
    try {
      const issued = signInLinkIssued(randomUUID(), address, 'lt');
      await publishAccess([issued]);
      const row = await settled(issued.eventId, 'failed');
      expect(row.attempts).toBe(1);
      const deadLetter = await eventually(async () => {
        const found = (await kafka.readAll(deadLetterTopic('notifications'), 0)).find((m) =>
          m.value?.includes(issued.eventId),
        );
        expect(found).toBeDefined();
        return found!;
      });
      expect(JSON.parse(deadLetter.value!)).toMatchObject({ eventId: issued.eventId, type: 'MemberSignInLinkIssued' });
      await expectTokenNowhereButTheEmail(issued, row.id);
    } finally {
      smtp.respondWith(() => undefined);
    }
  });
});
