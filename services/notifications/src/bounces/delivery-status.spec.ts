import { parseDeliveryStatusReport } from './delivery-status';

/** A report as Postfix writes it (RFC 3464 inside RFC 6522), one recipient failed, one delayed. */
const report = (status: string, action = 'failed') =>
  [
    'From: MAILER-DAEMON@mx.example.lt (Mail Delivery System)',
    'To: bounces@valley.example',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.lt',
    'Arrival-Date: Wed, 2 Dec 2026 01:00:00 +0000',
    '',
    'Final-Recipient: rfc822; Ona.Petraitiene@Example.lt',
    'Original-Recipient: rfc822;ona.petraitiene@example.lt',
    `Action: ${action}`,
    `Status: ${status}`,
    'Remote-MTA: dns; mail.example.lt',
    'Diagnostic-Code: smtp; 550 5.1.1 <ona.petraitiene@example.lt>: Recipient',
    '    address rejected: User unknown in virtual mailbox table',
    '',
    'Final-Recipient: rfc822; jonas@example.lt',
    'Action: delayed',
    'Status: 4.4.1',
    '',
    '--B1',
    'Content-Type: text/rfc822-headers',
    '',
    'From: Valley <no-reply@valley.example>',
    'Message-ID: <5f1c9d2e-8a4b-4c3d-9e2f-0a1b2c3d4e5f@valley>',
    'Subject: Sveiki prisijungę',
    '',
    '--B1--',
    '',
  ].join('\r\n');

describe('parseDeliveryStatusReport', () => {
  it('names each recipient that failed for good, with its status and diagnostic, and our Message-ID', async () => {
    expect(await parseDeliveryStatusReport(report('5.1.1'))).toEqual({
      originalMessageId: '<5f1c9d2e-8a4b-4c3d-9e2f-0a1b2c3d4e5f@valley>',
      failed: [
        {
          address: 'ona.petraitiene@example.lt',
          statusCode: '5.1.1',
          reason:
            '550 5.1.1 <ona.petraitiene@example.lt>: Recipient address rejected: User unknown in virtual mailbox table',
        },
      ],
    });
  });

  it('counts neither a temporary failure nor a delivered message as a bounce', async () => {
    expect((await parseDeliveryStatusReport(report('4.2.2')))?.failed).toEqual([]);
    expect((await parseDeliveryStatusReport(report('2.0.0', 'delivered')))?.failed).toEqual([]);
  });

  it('is null for a message that is no bounce report', async () => {
    const reply = 'From: ona@example.lt\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n';
    expect(await parseDeliveryStatusReport(reply)).toBeNull();
  });
});
