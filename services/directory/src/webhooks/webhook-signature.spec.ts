import { WEBHOOK_SECRET_PATTERN, webhookSignature } from './webhook-signature';

describe('webhookSignature (Standard Webhooks)', () => {
  it('signs as the specification’s own example does', () => {
    // The example of the Standard Webhooks reference libraries.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(WEBHOOK_SECRET_PATTERN.test(secret)).toBe(true);
    expect(webhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('changes with the id, the time and every byte of the body', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const base = webhookSignature(secret, 'a', 1, '{}');
    expect(
      new Set([
        base,
        webhookSignature(secret, 'b', 1, '{}'),
        webhookSignature(secret, 'a', 2, '{}'),
        webhookSignature(secret, 'a', 1, '{ }'),
      ]).size,
    ).toBe(4);
  });

  it('takes only a whsec_ secret of enough bytes', () => {
    expect(WEBHOOK_SECRET_PATTERN.test('whsec_short')).toBe(false);
    expect(WEBHOOK_SECRET_PATTERN.test('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(false);
  });
});
