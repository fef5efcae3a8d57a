import { ConfigError, loadConfig } from '@valley/platform';
import { DEV_ONLY_PORTAL_COOKIE_SECRET, PortalConfig, secureCookies } from './portal.config';
import { trustProxy } from './portal-app';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(PortalConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('PortalConfig', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('has development defaults: port 3000, the services on 3001–3004 of this machine', () => {
    const config = loadConfig(PortalConfig, {});
    expect(config).toMatchObject({
      PORT: 3000,
      MEMBERSHIP_URL: 'http://127.0.0.1:3001',
      DIRECTORY_URL: 'http://127.0.0.1:3002',
      NOTIFICATIONS_URL: 'http://127.0.0.1:3003',
      REPORTING_URL: 'http://127.0.0.1:3004',
      UPSTREAM_TIMEOUT_MS: 2000,
      TRUST_PROXY: '',
      PORTAL_COOKIE_SECRET: DEV_ONLY_PORTAL_COOKIE_SECRET,
    });
  });

  it('names each malformed variable, without printing the secret', () => {
    const found = problems({
      PORT: 'eighty',
      DIRECTORY_URL: 'http://directory:3002/',
      MEMBERSHIP_URL: 'membership:3001',
      UPSTREAM_TIMEOUT_MS: '5',
      TRUST_PROXY: 'loopback; drop table',
      PORTAL_COOKIE_SECRET: 'short-secret',
    });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual([
      'DIRECTORY_URL',
      'MEMBERSHIP_URL',
      'PORT',
      'PORTAL_COOKIE_SECRET',
      'TRUST_PROXY',
      'UPSTREAM_TIMEOUT_MS',
    ]);
    expect(found.join('\n')).not.toContain('short-secret');
  });

  it('refuses the DEV ONLY cookie secret in production, and accepts a real one', () => {
    process.env.NODE_ENV = 'production';
    expect(
      problems({})
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['OIDC_CLIENT_SECRET', 'OIDC_ISSUER_URL', 'PORTAL_COOKIE_SECRET', 'PORTAL_PUBLIC_URL']);
    expect(problems({})).toContainEqual(expect.stringMatching(/^PORTAL_COOKIE_SECRET: must be set in production/));
    expect(
      problems({
        PORTAL_COOKIE_SECRET: 'f'.repeat(64),
        PORTAL_PUBLIC_URL: 'https://valley.example.lt',
        OIDC_ISSUER_URL: 'https://login.microsoftonline.com/tenant/v2.0',
        OIDC_CLIENT_SECRET: 'a-real-client-secret',
      }),
    ).toEqual([]);
    expect(
      problems({ PORTAL_SESSION_SECRET: 'short', PORTAL_PUBLIC_URL: 'https://x.lt/path' }).map((p) => p.split(':')[0]),
    ).toEqual(expect.arrayContaining(['PORTAL_SESSION_SECRET', 'PORTAL_PUBLIC_URL']));
  });

  it('makes cookies Secure everywhere but in development and tests', () => {
    expect(secureCookies('production')).toBe(true);
    expect(secureCookies(undefined)).toBe(true);
    expect(secureCookies('development')).toBe(false);
    expect(secureCookies('test')).toBe(false);
  });

  it('reads TRUST_PROXY as Express does: none, a hop count, or addresses and presets', () => {
    expect(trustProxy('')).toBe(false);
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
  });
});
