import { Topics } from '@valley/contracts';
import { coordinatorToken, tokenWithRoles } from '@valley/platform/testing';
import { eventually, lifecycleEvents } from '@valley/testing';
import nodemailer from 'nodemailer';
import request from 'supertest';
import { NotificationsHarness } from '../../test/notifications-harness';
import { Delivery } from '../deliveries';
import { BounceList } from './bounce-list.service';
import { BounceReceiver } from './bounce-receiver';

const { memberAdmitted, memberProfileUpdated, memberSuspended, memberReinstated, publish, testContact } =
  lifecycleEvents;

jest.setTimeout(60_000);

const BOUNCE_ADDRESS = 'bounces@valley.localhost';

/** A bounce report as a receiving mail system sends it back (RFC 3464 in RFC 6522), about one message of ours. */
function bounceReport(recipient: string, messageId: string, status = '5.1.1'): string {
  return [
    'From: MAILER-DAEMON@mx.example.lt (Mail Delivery System)',
    `To: ${BOUNCE_ADDRESS}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
    '',
    '--R',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--R',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.lt',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} mailbox unavailable`,
    '',
    '--R',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: ${messageId}`,
    '',
    '--R--',
    '',
  ].join('\r\n');
}

/**
 * Bounces against a real SMTP relay that refuses a recipient at RCPT, and a real SMTP bounce
 * receiver fed reports over SMTP: the address is listed, gets no more mail, and gets mail again
 * once the contact's email changes.
 */
describe('notifications: bounced addresses get no more mail (real SMTP both ways, Kafka, Postgres)', () => {
  const harness = new NotificationsHarness();
  let bounceReceiver: ReturnType<typeof nodemailer.createTransport>;

  beforeAll(async () => {
    await harness.start({ BOUNCE_SMTP_PORT: '0', BOUNCE_SMTP_HOST: '127.0.0.1', BOUNCE_ADDRESS });
    const port = harness.app.get(BounceReceiver).port!;
    bounceReceiver = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    bounceReceiver?.close();
    await harness.stop();
  });

  const bouncing = (token = coordinatorToken()) =>
    request(harness.app.getHttpServer()).get('/deliveries/bouncing').set('Authorization', `Bearer ${token}`);
  /** The email an event caused to this address, once it has been sent or has failed. */
  const settled = async (eventId: string, recipient: string) =>
    eventually(async () => {
      const row = await harness.db.getRepository(Delivery).findOneBy({ eventId, recipient });
      expect(row?.status).toMatch(/^(sent|failed)$/);
      return row!;
    }, 20_000);

  it('a recipient the relay refuses (550 5.1.1 at RCPT) is listed, and its next email is not sent', async () => {
    const contact = testContact('Nera', 'lt');
    harness.smtp.refuseRecipients((address) => address === contact.email);
    const admitted = memberAdmitted(contact);
    await publish(harness.kafka, [admitted]);
    const welcome = await settled(admitted.eventId, contact.email);
    expect(welcome.status).toBe('failed');
    expect(welcome.lastError).toMatch(/SMTP 550/);

    const listed = (await bouncing().expect(200)).body.items.find(
      (b: { address: string }) => b.address === contact.email,
    );
    expect(listed).toMatchObject({
      source: 'smtp',
      statusCode: '5.1.1',
      deliveryId: welcome.id,
      organisationId: admitted.aggregateId,
      legalName: admitted.payload.legalName,
    });

    // The relay would take it now, but the address bounced: the suspension notice is not even offered.
    harness.smtp.refuseRecipients(() => false);
    const suspended = memberSuspended(admitted.aggregateId, 'Nesumokėtas nario mokestis.');
    await publish(harness.kafka, [suspended]);
    const notice = await settled(suspended.eventId, contact.email);
    expect(notice.status).toBe('failed');
    expect(notice.lastError).toMatch(/^not sent: the address bounced on \d{4}-\d{2}-\d{2} \(5\.1\.1\)/);
    expect(harness.smtp.messages.filter((m) => m.to.includes(contact.email))).toEqual([]);

    // A new contact email: mail flows again, to it; the old address is no longer listed.
    const moved = testContact('Nauja', 'lt');
    await publish(harness.kafka, [memberProfileUpdated(admitted.aggregateId, 2, { contact: moved })]);
    await eventually(async () => {
      const items = (await bouncing().expect(200)).body.items as { address: string }[];
      expect(items.map((b) => b.address)).not.toContain(contact.email);
    }, 20_000);
    const reinstated = memberReinstated(admitted.aggregateId);
    const suspendedAgain = memberSuspended(admitted.aggregateId, 'Vėl nesumokėta.');
    await publish(harness.kafka, [reinstated, suspendedAgain]);
    const received = await harness.smtp.waitFor((m) => m.to.includes(moved.email));
    expect(received.from).toBe(BOUNCE_ADDRESS);
  });

  it('a bounce report to the bounce address lists the recipient of the message it names; later mail is not sent', async () => {
    const contact = testContact('Ona', 'en');
    const admitted = memberAdmitted(contact);
    await publish(harness.kafka, [admitted]);
    const welcome = await harness.smtp.waitFor((m) => m.to.includes(contact.email));
    // Bounces are asked for at the envelope sender, not at From.
    expect(welcome.from).toBe(BOUNCE_ADDRESS);
    const row = await settled(admitted.eventId, contact.email);
    expect(row.status).toBe('sent');

    await bounceReceiver.sendMail({
      envelope: { from: '', to: BOUNCE_ADDRESS },
      raw: bounceReport(contact.email.toUpperCase(), welcome.messageId),
    });
    const listed = (await bouncing().expect(200)).body.items.find(
      (b: { address: string }) => b.address === contact.email,
    );
    expect(listed).toMatchObject({ source: 'dsn', statusCode: '5.1.1', deliveryId: row.id });
    expect(listed.reason).toBe('550 5.1.1 mailbox unavailable');
    // Announced for reporting on a topic that keeps its history: the delivery, never the address.
    const announced = await eventually(async () => {
      const found = (await harness.kafka.readAll(Topics.NotificationDeliveries, 0))
        .map((m) => JSON.parse(m.value!))
        .find((e) => e.type === 'NotificationBounced' && e.payload.deliveryId === row.id);
      expect(found).toBeDefined();
      return found;
    });
    expect(announced.payload).toMatchObject({ source: 'dsn', statusCode: '5.1.1' });
    expect(JSON.stringify(announced)).not.toContain('@');

    const suspended = memberSuspended(admitted.aggregateId, 'Unpaid fee.');
    await publish(harness.kafka, [suspended]);
    const notice = await settled(suspended.eventId, contact.email);
    expect(notice.status).toBe('failed');
    expect(harness.smtp.messages.filter((m) => m.to.includes(contact.email))).toHaveLength(1);
  });

  it('takes a temporary failure report or an auto-reply without listing anyone', async () => {
    const contact = testContact('Laikinai', 'en');
    await bounceReceiver.sendMail({
      envelope: { from: '', to: BOUNCE_ADDRESS },
      raw: bounceReport(contact.email, '<not-ours@example.lt>', '4.2.2'),
    });
    await bounceReceiver.sendMail({
      envelope: { from: contact.email, to: BOUNCE_ADDRESS },
      raw: `From: ${contact.email}\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n`,
    });
    const items = (await bouncing().expect(200)).body.items as { address: string }[];
    expect(items.map((b) => b.address)).not.toContain(contact.email);
  });

  it('answers 451 while the report cannot be recorded, so the sending system keeps it and tries again', async () => {
    const contact = testContact('Veliau', 'en');
    const admitted = memberAdmitted(contact);
    await publish(harness.kafka, [admitted]);
    const welcome = await harness.smtp.waitFor((m) => m.to.includes(contact.email));
    const bounces = harness.app.get(BounceList);
    const spy = jest
      .spyOn(bounces, 'record')
      .mockRejectedValueOnce(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      );
    try {
      const report = bounceReport(contact.email, welcome.messageId);
      await expect(
        bounceReceiver.sendMail({ envelope: { from: '', to: BOUNCE_ADDRESS }, raw: report }),
      ).rejects.toMatchObject({ responseCode: 451 });
      expect((await bouncing().expect(200)).body.items.map((b: { address: string }) => b.address)).not.toContain(
        contact.email,
      );
      await bounceReceiver.sendMail({ envelope: { from: '', to: BOUNCE_ADDRESS }, raw: report });
      const listed = (await bouncing().expect(200)).body.items.find(
        (b: { address: string }) => b.address === contact.email,
      );
      expect(listed).toMatchObject({ source: 'dsn', organisationId: admitted.aggregateId });
    } finally {
      spy.mockRestore();
    }
  });

  it('takes no forged report: one naming no message of ours, or ours to someone else', async () => {
    const victim = testContact('Auka', 'lt');
    const other = testContact('Kitas', 'lt');
    const admitted = memberAdmitted(other);
    await publish(harness.kafka, [admitted]);
    const toOther = await harness.smtp.waitFor((m) => m.to.includes(other.email));
    for (const messageId of [
      '<not-ours@example.lt>',
      '<00000000-0000-4000-8000-000000000000@valley>',
      toOther.messageId,
    ]) {
      await bounceReceiver.sendMail({
        envelope: { from: '', to: BOUNCE_ADDRESS },
        raw: bounceReport(victim.email, messageId),
      });
    }
    const items = (await bouncing().expect(200)).body.items as { address: string }[];
    expect(items.map((b) => b.address)).not.toContain(victim.email);
  });

  it('shows the list to a coordinator only', async () => {
    await bouncing(tokenWithRoles(['member'])).expect(403);
    await request(harness.app.getHttpServer()).get('/deliveries/bouncing').expect(401);
  });
});
