import { ConfigError, loadConfig } from '@valley/platform';
import { DEV_ONLY_UNSUBSCRIBE_SECRET, NotificationsConfig } from './notifications.config';

const env = {
  DATABASE_URL: 'postgres://valley_notifications@db.internal:5432/valley',
  AUTH_JWT_SECRET: 'a-long-enough-signing-secret',
};

function problems(extra: Record<string, string>): string[] {
  try {
    loadConfig(NotificationsConfig, { ...env, ...extra });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('NotificationsConfig', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('has development defaults for everything but the shared secrets', () => {
    const config = loadConfig(NotificationsConfig, env);
    expect(config.UNSUBSCRIBE_SECRET).toBe(DEV_ONLY_UNSUBSCRIBE_SECRET);
    expect(config.MAIL_RATE_PER_SECOND).toBe(10);
    expect(config.COORDINATOR_LANGUAGE).toBe('lt');
    // The portal's review page (a browser page), not the membership API's URL (401 in a browser).
    expect(config.APPLICATION_REVIEW_URL).toBe('http://127.0.0.1:3000/console/applications/:applicationId');
  });

  it('refuses the DEV ONLY unsubscribe secret in production, and accepts a real one', () => {
    process.env.NODE_ENV = 'production';
    // production verifies tokens against the identity provider's keys (HS256 is refused there)
    const tokens = {
      AUTH_JWKS_URL: 'https://id.valley.lt/.well-known/jwks.json',
      AUTH_ISSUER: 'https://id.valley.lt',
      AUTH_AUDIENCE: 'valley-services',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    };
    expect(problems(tokens)).toEqual([expect.stringMatching(/^UNSUBSCRIBE_SECRET: must be set in production/)]);
    const { PERSONAL_DATA_KEY: _key, ...withoutKey } = tokens;
    expect(problems({ ...withoutKey, UNSUBSCRIBE_SECRET: 'f'.repeat(64) })).toEqual([
      expect.stringMatching(/^PERSONAL_DATA_KEY: is required when NODE_ENV=production/),
    ]);
    expect(problems({ ...tokens, UNSUBSCRIBE_SECRET: 'f'.repeat(64) })).toEqual([]);
  });

  it('names each malformed variable without printing the secret', () => {
    const found = problems({
      UNSUBSCRIBE_SECRET: 'too-short',
      MAIL_RATE_PER_SECOND: '0',
      COORDINATOR_LANGUAGE: 'de',
      NOTIFICATIONS_PUBLIC_URL: 'https://valley.example.lt/',
      APPLICATION_REVIEW_URL: 'https://admin.example.lt/applications',
    });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual([
      'APPLICATION_REVIEW_URL',
      'COORDINATOR_LANGUAGE',
      'MAIL_RATE_PER_SECOND',
      'NOTIFICATIONS_PUBLIC_URL',
      'UNSUBSCRIBE_SECRET',
    ]);
    expect(found.join('\n')).not.toContain('too-short');
  });
});
