import { classifyMailError, PermanentMailError, RelayUnavailableError } from './mailer';

const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error('boom'), fields);

describe('classifyMailError', () => {
  it('treats a 5xx answer as permanent', () => {
    const error = classifyMailError(smtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 }));
    expect(error).toBeInstanceOf(PermanentMailError);
    expect(error.message).toBe('SMTP 550: boom');
  });

  it('tells a refused recipient (a bounce) from a message refused after DATA, and keeps the status code', () => {
    const refused = classifyMailError(
      smtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, message: '550 5.1.1 no such user' }),
    ) as PermanentMailError;
    expect([refused.recipientRefused, refused.statusCode]).toEqual([true, '5.1.1']);
    const content = classifyMailError(
      smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 554, message: '554 spam' }),
    ) as PermanentMailError;
    expect([content.recipientRefused, content.statusCode]).toEqual([false, null]);
  });

  it.each([
    ['connection refused', { code: 'ESOCKET', command: 'CONN' }],
    ['connection time-out', { code: 'ETIMEDOUT', command: 'CONN' }],
    ['no greeting', { code: 'ETIMEDOUT', command: 'GREETING' }],
    ['unresolvable host', { code: 'EDNS' }],
  ])('treats %s as the relay being unavailable', (_, fields) => {
    expect(classifyMailError(smtpError(fields))).toBeInstanceOf(RelayUnavailableError);
  });

  it.each([
    ['a 421 reply', { code: 'EMESSAGE', command: 'DATA', responseCode: 421 }],
    ['a 450 to the recipient', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 450 }],
    ['a time-out during the message', { code: 'ETIMEDOUT', command: 'DATA' }],
  ])('leaves %s transient', (_, fields) => {
    const error = classifyMailError(smtpError(fields));
    expect(error).not.toBeInstanceOf(PermanentMailError);
    expect(error).not.toBeInstanceOf(RelayUnavailableError);
    expect(error.message).toBe('boom');
  });
});
