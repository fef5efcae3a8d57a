import { INestApplication } from '@nestjs/common';
import { signToken } from '@valley/platform';
import { startTestApp, TEST_ISSUER_ALGS, TEST_JWT_SECRET, TestIssuer } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import request from 'supertest';
import { ReportingAppModule } from '../app.module';
import { ReportingConfig } from '../reporting.config';

const ISSUER = 'https://id.valley.test';
const AUDIENCE = 'valley-services';
const MEMBER_ID = '3f2a7c1e-8b4d-4e6f-a1b2-c3d4e5f60718';
const ENDPOINT = '/reports/member-count';

const ALGS = TEST_ISSUER_ALGS;

/**
 * The reporting service as it runs, pointed (AUTH_JWKS_URL) at a real HTTP server that serves an
 * identity provider's JWKS of an RS256, an ES256 and an EdDSA key: what its coordinator endpoints
 * let in and what they refuse, in production (NODE_ENV=production) and, for HS256, outside it.
 */
describe('coordinator tokens checked against the issuer JWKS (reporting app)', () => {
  const issuer = new TestIssuer(ISSUER, AUDIENCE);
  let production: INestApplication;
  let development: INestApplication;

  const now = () => Math.floor(Date.now() / 1000);
  const sign = issuer.sign.bind(issuer);
  const get = (app: INestApplication, token: string) =>
    request(app.getHttpServer()).get(ENDPOINT).set('Authorization', `Bearer ${token}`);

  const boot = (env: Record<string, string>) =>
    startTestApp({
      service: 'reporting',
      configClass: ReportingConfig,
      module: (config) => ReportingAppModule.forRoot(config),
      topicPrefix: uniqueTopicPrefix(),
      env,
    });

  beforeAll(async () => {
    await issuer.start();
    const env = {
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600',
      // testServiceEnv sets AUTH_JWT_SECRET too: production must refuse HS256 all the same
    };

    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      production = await boot(env);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    development = await boot(env);
  }, 120_000);

  afterAll(async () => {
    await production?.close();
    await development?.close();
    await issuer.stop();
  });

  it.each(ALGS)('lets a valid %s coordinator token in (200)', async (alg) => {
    const response = await get(production, await sign(alg));

    expect(response.status).toBe(200);
  });

  it('fetched the JWKS over HTTP, and keeps it', async () => {
    const before = issuer.jwksRequests;
    for (const alg of ALGS) expect((await get(production, await sign(alg))).status).toBe(200);

    expect(issuer.jwksRequests).toBeGreaterThan(0);
    expect(issuer.jwksRequests - before).toBe(0);
  });

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const refused: [string, () => Promise<string>][] = [
    ['without exp', () => sign('RS256', undefined, { exp: null })],
    ['from another issuer', () => sign('ES256', undefined, { iss: 'https://evil.example' })],
    ['for another audience', () => sign('EdDSA', undefined, { aud: 'another-app' })],
    ['expired', () => sign('RS256', undefined, { exp: now() - 120 })],
    ['living longer than allowed', () => sign('ES256', undefined, { exp: now() + 2 * 3600 })],
    [
      'unsigned (alg none)',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', roles: ['coordinator'], iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.`,
    ],
    [
      'HS256 with the configured secret, in production',
      async () => signToken(TEST_JWT_SECRET, 'mallory', ['coordinator'], 600, { issuer: ISSUER, audience: AUDIENCE }),
    ],
    ['signed with a key not in the JWKS', () => sign('RS256', undefined, { kid: 'k-unknown', key: issuer.stranger })],
    ["signed with another key under a JWKS key's kid", () => sign('RS256', undefined, { key: issuer.stranger })],
  ];

  it.each(refused)('refuses a coordinator token %s (401)', async (_, token) => {
    const response = await get(production, await token());

    expect(response.status).toBe(401);
  });

  it('refuses a request without a token (401)', async () => {
    expect((await request(production.getHttpServer()).get(ENDPOINT)).status).toBe(401);
  });

  it("forbids a member's token with its memberId on a coordinator endpoint (403)", async () => {
    const member = await sign('ES256', { roles: ['member'], memberId: MEMBER_ID });

    expect((await get(production, member)).status).toBe(403);
  });

  it('outside production accepts the HS256 development token and the JWKS ones', async () => {
    const hs256 = signToken(TEST_JWT_SECRET, 'ona@valley.lt', ['coordinator'], 600, {
      issuer: ISSUER,
      audience: AUDIENCE,
    });

    expect((await get(development, hs256)).status).toBe(200);
    expect((await get(development, await sign('EdDSA'))).status).toBe(200);
    // the same token production refuses: only NODE_ENV tells the two apart
    expect((await get(production, hs256)).status).toBe(401);
  });
});
