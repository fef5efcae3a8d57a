import { INestApplication } from '@nestjs/common';
import { deadLetterTopic, Topics } from '@valley/contracts';
import { DeadLetterHeaders } from '@valley/messaging';
import { coordinatorToken, emptyServiceSchema, tokenWithRoles } from '@valley/platform/testing';
import { eventually, KafkaTestClient, lifecycleEvents, ReceivedEmail } from '@valley/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Contact } from '../contacts/contact.entity';
import { NotificationsHarness } from '../../test/notifications-harness';
import { DeliveryDeadLetterHeaders } from './delivery-outcomes.service';
import { NotificationsErasure } from '../erasure';
import { Delivery, ERASED_RECIPIENT } from './delivery.entity';

const {
  applicationRejected,
  applicationSubmitted,
  memberAdmitted,
  membershipEnded,
  memberProfileUpdated,
  memberSuspended,
  publish,
  testApplicantToken,
  testContact,
} = lifecycleEvents;

const COORDINATOR = 'coordinator@valley.test';

jest.setTimeout(60_000);

/**
 * The notifications service against the real Kafka, Postgres and an SMTP server started here:
 * what each lifecycle event sends, in which language; redelivery; refusals; an outage; the
 * delivery log's endpoints. Events are published the way membership's relay publishes them.
 */
describe('notifications: emails on lifecycle events, never lost and never sent twice', () => {
  const harness = new NotificationsHarness();
  const { smtp } = harness;
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaTestClient;

  beforeAll(async () => {
    ({ app, db, kafka } = await harness.start({
      COORDINATOR_EMAIL: COORDINATOR,
      COORDINATOR_LANGUAGE: 'en',
      MAIL_MAX_ATTEMPTS: '3',
      APPLICATION_REVIEW_URL: 'https://admin.valley.test/applications/:applicationId',
      PORTAL_URL: 'https://portal.valley.test',
    }));
    // Who gets an announcement depends on every contact known: start with none but this suite's.
    await emptyServiceSchema(db, 'notifications');
  });

  afterAll(() => harness.stop());

  const to = (address: string) => smtp.messages.filter((email) => email.to.includes(address));
  const waitFor = (address: string, subjectPart: string) =>
    smtp.waitFor((email) => email.to.includes(address) && email.subject.includes(subjectPart));
  const deliveriesOf = (eventId: string) => db.getRepository(Delivery).find({ where: { eventId } });
  const contactKnown = (organisationId: string) =>
    eventually(async () => expect(await db.getRepository(Contact).findOneBy({ organisationId })).not.toBeNull());
  const header = (email: ReceivedEmail, name: string) =>
    new RegExp(`^${name}: (.*)$`, 'mi').exec(email.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '))?.[1];
  /** What this suite's notifications consumers gave up on, of one event. */
  const deadLettered = async (eventId: string) =>
    (await kafka.readAll(deadLetterTopic('notifications'), 0)).filter((m) => m.value?.includes(eventId));
  const allSent = (eventId: string, count: number) =>
    eventually(async () => {
      const rows = await deliveriesOf(eventId);
      expect(rows.map((r) => r.status)).toEqual(Array(count).fill('sent'));
      return rows;
    });

  describe('what each lifecycle event sends', () => {
    it('ApplicationSubmitted: an acknowledgment with the reference to the applicant, a review link to the coordinator', async () => {
      const applicant = testContact('Jonas', 'lt');
      const submitted = applicationSubmitted(applicant);
      await publish(kafka, [submitted]);

      const ack = await waitFor(applicant.email, submitted.payload.applicationId);
      expect(ack.subject).toBe(
        `Gavome ${submitted.payload.legalName} paraišką (numeris ${submitted.payload.applicationId})`,
      );
      expect(ack.text).toContain(`Gerb. ${applicant.name}`);
      expect(ack.html).toContain(`<strong>${submitted.payload.applicationId}</strong>`);
      // The status link carries the token from the access topic, never from the lifecycle topic.
      const statusUrl = `https://portal.valley.test/applications/${submitted.payload.applicationId}?token=${testApplicantToken(submitted.payload.applicationId)}`;
      expect(ack.text).toContain(statusUrl);
      // Handlebars escapes `=` in the attribute; a browser reads it back as `=`.
      expect(ack.html).toContain(`href="${statusUrl.replace(/=/g, '&#x3D;')}"`);
      expect(JSON.stringify(submitted)).not.toContain(testApplicantToken(submitted.payload.applicationId));
      // Sent: notifications keeps the token no longer.
      await eventually(async () =>
        expect(
          await db.query(`SELECT 1 FROM "notifications"."applicant_links" WHERE application_id = $1`, [
            submitted.payload.applicationId,
          ]),
        ).toEqual([]),
      );

      const review = await smtp.waitFor(
        (email) => email.to.includes(COORDINATOR) && email.text.includes(submitted.payload.applicationId),
      );
      expect(review.subject).toBe(`New application to review: ${submitted.payload.legalName}`);
      expect(review.text).toContain(`https://admin.valley.test/applications/${submitted.payload.applicationId}`);
      expect(review.text).toContain('Innovation and technologies');
      expect(review.html).toContain(`href="https://admin.valley.test/applications/${submitted.payload.applicationId}"`);
      expect(review.text).not.toContain(applicant.email);

      const rows = await allSent(submitted.eventId, 2);
      expect(rows.map((r) => [r.recipientKind, r.template, r.language]).sort()).toEqual([
        ['applicant', 'application-received', 'lt'],
        ['coordinator', 'application-review', 'en'],
      ]);
    });

    it('ApplicationRejected: the decision and its reason to the applicant, in its language', async () => {
      const applicant = testContact('Rejected', 'en');
      const submitted = applicationSubmitted(applicant);
      const rejected = applicationRejected(submitted, 'The cluster admits organisations active in Lithuania only.');
      await publish(kafka, [submitted, rejected]);

      const decision = await waitFor(applicant.email, 'Decision on the application');
      expect(decision.subject).toBe(`Decision on the application of ${submitted.payload.legalName}`);
      expect(decision.text).toContain('The cluster admits organisations active in Lithuania only.');
      expect(decision.text).toContain(submitted.payload.applicationId);
      await allSent(rejected.eventId, 1);
    });

    it('MemberAdmitted: a welcome to the new member, an announcement to each other active member who consented', async () => {
      const listener = testContact('Listener', 'lt');
      const silent = testContact('Silent', 'en');
      const suspended = testContact('Suspended', 'en');
      const founders = [
        memberAdmitted(listener, { founding: true, announcements: true }),
        memberAdmitted(silent, { founding: true, announcements: false }),
        memberAdmitted(suspended, { founding: true, announcements: true }),
      ];
      await publish(kafka, founders);
      await publish(kafka, [memberSuspended(founders[2].aggregateId, 'Unpaid fee.')]);
      for (const founder of founders) await contactKnown(founder.aggregateId);
      await eventually(async () =>
        expect((await db.getRepository(Contact).findOneBy({ organisationId: founders[2].aggregateId }))?.status).toBe(
          'suspended',
        ),
      );

      const newcomer = testContact('Newcomer', 'en');
      const admitted = memberAdmitted(newcomer, {
        payload: { region: 'Marijampolės apskritis', statement: 'Biotechnology & food production investments.' },
      });
      await publish(kafka, [admitted]);

      const welcome = await waitFor(newcomer.email, 'Welcome');
      expect(welcome.subject).toBe(`Welcome to Production Innovation Valley, ${admitted.payload.legalName}`);
      expect(welcome.text).toContain('Innovation and technologies');

      const announcement = await waitFor(listener.email, admitted.payload.legalName);
      expect(announcement.subject).toBe(`${admitted.payload.legalName} tapo klasterio nare`);
      expect(announcement.text).toContain(`Gerb. ${listener.name}`);
      expect(announcement.text).toContain('Marijampolės apskritis');
      expect(announcement.text).toContain('Inovacijos ir technologijos');
      expect(announcement.text).toContain('Biotechnology & food production investments.');
      expect(announcement.html).toContain('Biotechnology &amp; food production investments.');
      expect(header(announcement, 'List-Unsubscribe')).toMatch(/^<http:\/\/127\.0\.0\.1:3003\/unsubscribe\?token=.+>$/);
      expect(header(announcement, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

      // Everything the admission planned is sent; none of it went to those who should not get it.
      const rows = await eventually(async () => {
        const found = await deliveriesOf(admitted.eventId);
        expect(found.filter((r) => r.status !== 'sent')).toEqual([]);
        return found;
      });
      const recipients = rows.map((r) => r.recipient);
      expect(recipients).toContain(newcomer.email);
      expect(recipients).toContain(listener.email);
      expect(recipients).not.toContain(silent.email);
      expect(recipients).not.toContain(suspended.email);
      expect(rows.filter((r) => r.template === 'welcome')).toHaveLength(1);
      // founders get no welcome, and the welcome is not an announcement to oneself
      for (const founder of [listener, silent, suspended]) {
        expect(
          to(founder.email).filter((e) => e.subject.startsWith('Welcome') || e.subject.startsWith('Sveiki')),
        ).toEqual([]);
      }
      expect(to(newcomer.email)).toHaveLength(1);
      expect(to(silent.email)).toHaveLength(0);

      // MemberProfileUpdated: the listener withdraws its consent, and hears of no later admission.
      await publish(kafka, [
        memberProfileUpdated(founders[0].aggregateId, 2, { consent: { publicListing: true, announcements: false } }),
      ]);
      await eventually(async () =>
        expect(
          (await db.getRepository(Contact).findOneByOrFail({ organisationId: founders[0].aggregateId })).announcements,
        ).toBe(false),
      );
      const later = memberAdmitted(testContact('Later', 'en'));
      await publish(kafka, [later]);
      const laterRows = await allSent(later.eventId, 1);
      expect(laterRows.map((r) => r.template)).toEqual(['welcome']);
      expect(to(listener.email)).toHaveLength(1);
    });

    it('MemberSuspended and MembershipEnded: the notice and its reason to the member', async () => {
      const member = testContact('Leaving', 'lt');
      const admitted = memberAdmitted(member);
      const suspended = memberSuspended(admitted.aggregateId, 'Nesumokėtas 2026 m. nario mokestis.');
      const ended = membershipEnded(admitted.aggregateId, 'Organizacija paprašė ją išbraukti.');
      await publish(kafka, [admitted, suspended, ended]);

      const suspension = await waitFor(member.email, 'sustabdyta');
      expect(suspension.subject).toBe(`${admitted.payload.legalName} narystė sustabdyta`);
      expect(suspension.text).toContain('Nesumokėtas 2026 m. nario mokestis.');
      const end = await waitFor(member.email, 'baigėsi');
      expect(end.subject).toBe(`${admitted.payload.legalName} narystė baigėsi`);
      expect(end.text).toContain('Organizacija paprašė ją išbraukti.');
      await allSent(ended.eventId, 1);
    });

    it('publishes NotificationSent for each email, without addresses', async () => {
      const member = testContact('Outcome', 'en');
      const admitted = memberAdmitted(member);
      await publish(kafka, [admitted]);
      const [row] = await allSent(admitted.eventId, 1);

      const outcome = await eventually(async () => {
        const found = (await kafka.readAll(Topics.NotificationDeliveries, 0)).find((m) => m.key === row.id);
        expect(found).toBeDefined();
        return found!;
      });
      expect(outcome.value).not.toContain('@');
      expect(JSON.parse(outcome.value!)).toMatchObject({
        type: 'NotificationSent',
        aggregateId: row.id,
        producer: 'notifications',
        causationId: admitted.eventId,
        correlationId: admitted.correlationId,
        payload: {
          deliveryId: row.id,
          causeEventId: admitted.eventId,
          causeEventType: 'MemberAdmitted',
          template: 'welcome',
          language: 'en',
          recipientKind: 'member',
          attempts: 1,
        },
      });
    });
  });

  it('a redelivered event sends nothing twice', async () => {
    const member = testContact('Twice', 'en');
    const admitted = memberAdmitted(member);
    await publish(kafka, [admitted]);
    await waitFor(member.email, 'Welcome');

    const [again] = await publish(kafka, [admitted]);
    await kafka.waitForGroupPast(
      'notifications-planner',
      Topics.MembershipLifecycle,
      again.partition,
      again.baseOffset,
    );
    // A second delivery, had one been planned, would be due at once: give the sender a few rounds.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(to(member.email)).toHaveLength(1);
    expect((await deliveriesOf(admitted.eventId)).filter((r) => r.recipient === member.email)).toHaveLength(1);
    // Deduplicated, not failed: an event that failed (on the deliveries' unique key, say) would leave the
    // same counts, and would be on the dead-letter topic by the time the group is past it.
    expect(await deadLettered(admitted.eventId)).toEqual([]);
  });

  it('a redelivered event the inbox no longer knows plans nothing twice: the deliveries keep it once', async () => {
    // The inbox stops a redelivery before the planner; without its row (lost, or cleaned up) the
    // planner must still see that the welcome and the announcements were planned already.
    const listener = testContact('Hears', 'en');
    const founder = memberAdmitted(listener, { founding: true, announcements: true });
    await publish(kafka, [founder]);
    await contactKnown(founder.aggregateId);
    const member = testContact('Forgotten', 'en');
    const admitted = memberAdmitted(member);
    await publish(kafka, [admitted]);
    await waitFor(member.email, 'Welcome');
    await waitFor(listener.email, admitted.payload.legalName);
    const planned = await eventually(async () => {
      const rows = await deliveriesOf(admitted.eventId);
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      return rows;
    });
    expect(planned.map((r) => r.template).sort()).toEqual(expect.arrayContaining(['announcement', 'welcome']));

    await db.query(`DELETE FROM notifications.inbox_messages WHERE event_id = $1`, [admitted.eventId]);
    const [again] = await publish(kafka, [admitted]);
    await kafka.waitForGroupPast(
      'notifications-planner',
      Topics.MembershipLifecycle,
      again.partition,
      again.baseOffset,
    );
    // Applied, not failed: nothing went to the dead-letter topic, and the inbox has the event again.
    expect(await deadLettered(admitted.eventId)).toEqual([]);
    expect(
      await db.query(`SELECT 1 FROM notifications.inbox_messages WHERE event_id = $1`, [admitted.eventId]),
    ).toEqual([{ '?column?': 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await deliveriesOf(admitted.eventId)).map((r) => r.id).sort()).toEqual(planned.map((r) => r.id).sort());
    expect(to(member.email)).toHaveLength(1);
    expect(to(listener.email).filter((e) => e.subject.includes(admitted.payload.legalName))).toHaveLength(1);
  });

  it('a 421 answer is retried with backoff and the message arrives once', async () => {
    const applicant = testContact('Busy', 'en');
    let refusals = 0;
    smtp.respondWith(({ to: recipients }) =>
      recipients.includes(applicant.email) && refusals++ < 1 ? { code: 421, message: 'Try again later' } : undefined,
    );
    const submitted = applicationSubmitted(applicant);
    await publish(kafka, [submitted]);

    await waitFor(applicant.email, 'We received');
    const row = await eventually(async () => {
      const found = (await deliveriesOf(submitted.eventId)).find((r) => r.recipient === applicant.email)!;
      expect(found.status).toBe('sent');
      return found;
    });
    expect(row.attempts).toBe(2);
    expect(refusals).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(to(applicant.email)).toHaveLength(1);
  });

  describe('final failures', () => {
    afterEach(() => smtp.respondWith(() => undefined));

    it('a 550 fails at once: status failed, the cause on the dead-letter topic, NotificationFailed', async () => {
      const applicant = testContact('Bounce', 'en');
      let offered = 0;
      smtp.respondWith(({ to: recipients }) =>
        recipients.includes(applicant.email) && ++offered > 0
          ? { code: 550, message: `Mailbox ${applicant.email} unavailable` }
          : undefined,
      );
      const submitted = applicationSubmitted(applicant);
      await publish(kafka, [submitted]);

      const row = await eventually(async () => {
        const found = (await deliveriesOf(submitted.eventId)).find((r) => r.recipient === applicant.email)!;
        expect(found.status).toBe('failed');
        return found;
      });
      expect(row.attempts).toBe(1);
      expect(offered).toBe(1);
      expect(row.lastError).toContain('550');
      expect(to(applicant.email)).toHaveLength(0);

      const letter = await eventually(async () => {
        const found = (await kafka.readAll(deadLetterTopic('notifications'), 0)).find(
          (m) => m.headers[DeliveryDeadLetterHeaders.deliveryId] === row.id,
        );
        expect(found).toBeDefined();
        return found!;
      });
      expect(letter.key).toBe(submitted.aggregateId);
      expect(JSON.parse(letter.value!).eventId).toBe(submitted.eventId);
      expect(letter.headers[DeadLetterHeaders.reason]).toMatch(/SMTP 550/);
      expect(letter.headers[DeadLetterHeaders.reason]).not.toContain(applicant.email);
      expect(letter.headers[DeadLetterHeaders.attempts]).toBe('1');
      expect(letter.headers[DeadLetterHeaders.sourceTopic]).toBe(Topics.MembershipLifecycle);

      const failed = await eventually(async () => {
        const found = (await kafka.readAll(Topics.NotificationDeliveries, 0)).find((m) => m.key === row.id);
        expect(found).toBeDefined();
        return found!;
      });
      expect(failed.value).not.toContain(applicant.email);
      expect(JSON.parse(failed.value!)).toMatchObject({
        type: 'NotificationFailed',
        payload: { deliveryId: row.id, recipientKind: 'applicant', attempts: 1, reason: expect.stringMatching(/550/) },
      });
    });

    it('a message refused with 4xx on every try fails after the last one, and goes to the dead-letter topic', async () => {
      const applicant = testContact('Greylisted', 'en');
      let offered = 0;
      smtp.respondWith(({ to: recipients }) =>
        recipients.includes(applicant.email) && ++offered > 0 ? { code: 451, message: 'Greylisted' } : undefined,
      );
      const submitted = applicationSubmitted(applicant);
      await publish(kafka, [submitted]);

      const row = await eventually(async () => {
        const found = (await deliveriesOf(submitted.eventId)).find((r) => r.recipient === applicant.email)!;
        expect(found.status).toBe('failed');
        return found;
      });
      expect(row.attempts).toBe(3);
      expect(offered).toBe(3);
      await eventually(async () => {
        const letter = (await kafka.readAll(deadLetterTopic('notifications'), 0)).find(
          (m) => m.headers[DeliveryDeadLetterHeaders.deliveryId] === row.id,
        );
        expect(letter?.headers[DeadLetterHeaders.reason]).toMatch(/3 tries: .*451/);
      });
    });
  });

  it('an SMTP outage delays mail; when the server is back every pending message goes out once', async () => {
    const port = smtp.port;
    await smtp.stop();
    const applicants = [testContact('Outage', 'en'), testContact('Outage', 'lt'), testContact('Outage', 'en')];
    const events = applicants.map((contact) => applicationSubmitted(contact));
    await publish(kafka, events);

    // The sender tried during the outage and found the relay unreachable.
    await eventually(async () => {
      const rows = (await Promise.all(events.map((e) => deliveriesOf(e.eventId)))).flat();
      expect(rows).toHaveLength(6);
      expect(rows.some((r) => r.lastError?.startsWith('relay unavailable'))).toBe(true);
      expect(rows.every((r) => r.status === 'pending')).toBe(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    await smtp.start(port);
    for (const event of events) {
      const rows = await allSent(event.eventId, 2);
      // An unreachable relay says nothing about the message: no try was used up.
      expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const applicant of applicants) expect(to(applicant.email)).toHaveLength(1);
    for (const event of events) {
      expect(
        smtp.messages.filter((m) => m.to.includes(COORDINATOR) && m.text.includes(event.payload.applicationId)),
      ).toHaveLength(1);
    }
  });

  describe('GET /deliveries and POST /deliveries/:id/retry (coordinator)', () => {
    const get = (query: string, token = coordinatorToken()) =>
      request(app.getHttpServer()).get(`/deliveries${query}`).set('Authorization', `Bearer ${token}`);
    const retry = (id: string, token = coordinatorToken()) =>
      request(app.getHttpServer()).post(`/deliveries/${id}/retry`).set('Authorization', `Bearer ${token}`);

    it('filters by recipient, event, status and template, newest first, in keyset pages', async () => {
      const member = testContact('Filtered', 'en');
      const admitted = memberAdmitted(member);
      const suspended = memberSuspended(admitted.aggregateId, 'Unpaid fee.');
      await publish(kafka, [admitted, suspended]);
      await allSent(suspended.eventId, 1);

      const byRecipient = await get(`?recipient=${member.email.toUpperCase()}`).expect(200);
      expect(byRecipient.body.items.map((d: { template: string }) => d.template)).toEqual([
        'member-suspended',
        'welcome',
      ]);
      expect(byRecipient.body.items[0]).toMatchObject({
        recipient: member.email,
        recipientKind: 'member',
        eventId: suspended.eventId,
        eventType: 'MemberSuspended',
        status: 'sent',
        attempts: 1,
        messageId: expect.stringMatching(/@valley>$/),
      });

      const byEvent = await get(`?event=${admitted.eventId}`).expect(200);
      expect(byEvent.body.items.length).toBeGreaterThan(0);
      for (const item of byEvent.body.items) expect(item.eventId).toBe(admitted.eventId);
      expect(byEvent.body.items.map((d: { recipient: string }) => d.recipient)).toContain(member.email);
      const byType = await get(`?event=MemberSuspended&status=sent&recipient=${member.email}`).expect(200);
      expect(byType.body.items).toHaveLength(1);
      const byTemplate = await get(`?template=welcome&recipient=${member.email}`).expect(200);
      expect(byTemplate.body.items.map((d: { template: string; eventId: string }) => [d.template, d.eventId])).toEqual([
        ['welcome', admitted.eventId],
      ]);
      const everyWelcome = await get('?template=welcome&limit=200').expect(200);
      for (const item of everyWelcome.body.items) expect(item.template).toBe('welcome');

      const first = await get(`?recipient=${member.email}&limit=1`).expect(200);
      expect(first.body.items).toHaveLength(1);
      const second = await get(`?recipient=${member.email}&limit=1&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items.map((d: { template: string }) => d.template)).toEqual(['welcome']);
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      ['?status=lost', 'status'],
      ['?template=newsletter', 'template'],
      ['?recipient=not-an-address', 'recipient'],
      ['?event=member admitted', 'event'],
      ['?limit=0', 'limit'],
      ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['?colour=red', 'colour'],
    ])('refuses %s with a 400 naming the field', async (query, field) => {
      const response = await get(query).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('needs a coordinator: 401 without a token, 403 without the role', async () => {
      await request(app.getHttpServer()).get('/deliveries').expect(401);
      await get('', tokenWithRoles(['member'])).expect(403);
      await retry('7b0e5c4e-5a0c-4f55-9d0f-2a4a0c7e1b11', tokenWithRoles(['member'])).expect(403);
    });

    /** An application whose acknowledgement the SMTP server refused for good (550): its delivery failed. */
    const failedAcknowledgement = async (name: string) => {
      const applicant = testContact(name, 'en');
      smtp.respondWith(({ to: recipients }) =>
        recipients.includes(applicant.email) ? { code: 550, message: 'No such user' } : undefined,
      );
      const submitted = applicationSubmitted(applicant);
      await publish(kafka, [submitted]);
      const failed = await eventually(async () => {
        const found = (await deliveriesOf(submitted.eventId)).find((r) => r.recipient === applicant.email)!;
        expect(found.status).toBe('failed');
        return found;
      });
      smtp.respondWith(() => undefined);
      return { applicant, submitted, failed };
    };

    it('retries a failed delivery once it can be sent; refuses the others', async () => {
      const { applicant, failed } = await failedAcknowledgement('Retry');

      const retried = await retry(failed.id).expect(200);
      expect(retried.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
      await waitFor(applicant.email, 'We received');
      await eventually(async () =>
        expect((await db.getRepository(Delivery).findOneByOrFail({ id: failed.id })).status).toBe('sent'),
      );
      expect(to(applicant.email)).toHaveLength(1);

      expect((await retry(failed.id).expect(409)).body.code).toBe('DELIVERY_NOT_FAILED');
      expect((await retry('7b0e5c4e-5a0c-4f55-9d0f-2a4a0c7e1b11').expect(404)).body.code).toBe('DELIVERY_NOT_FOUND');
      const bad = await retry('not-a-uuid').expect(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['id']);
    });

    it('refuses to retry a failed delivery whose recipient was erased (409), changing nothing', async () => {
      const { submitted, failed } = await failedAcknowledgement('Erased');
      // The 550 itself is a dead letter of the sender's (a permanent failure), and the only one.
      await eventually(async () => expect(await deadLettered(submitted.eventId)).toHaveLength(1));
      await db.transaction((manager) => app.get(NotificationsErasure).forget(manager, submitted.aggregateId));
      const erased = await db.getRepository(Delivery).findOneByOrFail({ id: failed.id });
      expect(erased.recipient).toBe(`${ERASED_RECIPIENT}${failed.id}`);

      const refused = await retry(failed.id).expect(409);
      expect(refused.body.code).toBe('DELIVERY_RECIPIENT_ERASED');
      // Still failed, as erasure left it: the sender has nothing to pick up and render without the name.
      expect(await db.getRepository(Delivery).findOneByOrFail({ id: failed.id })).toEqual(erased);
      expect(await deadLettered(submitted.eventId)).toHaveLength(1);
    });
  });
});
