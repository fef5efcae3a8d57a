import { NotificationsConfig } from '../notifications.config';
import { UnsubscribeTokens } from './unsubscribe-token';

function tokens(secret = 'a-test-unsubscribe-secret-of-32-chars!'): UnsubscribeTokens {
  return new UnsubscribeTokens(
    Object.assign(new NotificationsConfig(), {
      UNSUBSCRIBE_SECRET: secret,
      NOTIFICATIONS_PUBLIC_URL: 'https://valley.example.lt/notifications',
    }),
  );
}

describe('UnsubscribeTokens', () => {
  it('signs an address and verifies it back, lower-cased', () => {
    const token = tokens().sign('Ona.Onaite@Example.LT');
    expect(tokens().verify(token)).toBe('ona.onaite@example.lt');
  });

  it('makes a link to the unsubscribe endpoint', () => {
    expect(tokens().url('ona@example.lt')).toMatch(
      /^https:\/\/valley\.example\.lt\/notifications\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/,
    );
  });

  it('refuses a token signed with another secret', () => {
    const forged = tokens('another-secret-that-is-32-chars-long').sign('ona@example.lt');
    expect(tokens().verify(forged)).toBeNull();
  });

  it('refuses a genuine signature moved onto another address', () => {
    const [, signature] = tokens().sign('ona@example.lt').split('.');
    const moved = `${Buffer.from('jonas@example.lt').toString('base64url')}.${signature}`;
    expect(tokens().verify(moved)).toBeNull();
  });

  it.each(['', 'abc', 'a.b', `${'x'.repeat(10)}.${'y'.repeat(42)}`, 'a b.c'])('refuses a malformed token %p', (t) => {
    expect(tokens().verify(t)).toBeNull();
  });
});
