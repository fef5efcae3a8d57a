import { INestApplication } from '@nestjs/common';
import { signToken } from '@valley/platform';
import {
  DEV_IDP_CLIENT_ID,
  DEV_IDP_CLIENT_SECRET,
  DEV_IDP_COORDINATOR,
  DEV_IDP_PERSON,
  OidcTestClient,
  RunningDevIdentityProvider,
  startDevIdentityProvider,
  startTestApp,
  TEST_JWT_SECRET,
  TestIssuer,
} from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { ReportingAppModule } from '../app.module';
import { ReportingConfig } from '../reporting.config';

const ENDPOINT = '/reports/member-count';
/** Extra redirect URIs the provider is told about for this test; the browser stops there, nothing listens. */
const REDIRECT_URI = 'http://127.0.0.1:1/test/sign-in/callback';
const SIGNED_OUT_URI = 'http://127.0.0.1:1/test/signed-out';
const MEMBER_ISSUER = 'https://membership.valley.test';
const MEMBER_ID = '3f2a7c1e-8b4d-4e6f-a1b2-c3d4e5f60718';

/**
 * Coordinators sign in through the real DEV ONLY OpenID Connect provider (tools/dev-identity-provider,
 * oidc-provider, its own process on a free port), as a browser and the portal would: the
 * authorization code flow with PKCE (S256), the provider's DEV ONLY pages posted as forms with its
 * cookies, the code at the redirect URI, the token exchange with the code_verifier and the client's
 * secret (the client side is written with fetch: openid-client 6 is ESM-only and jest here loads
 * CommonJS). The access token then goes to the reporting service as it runs, under
 * NODE_ENV=production, configured with the provider's issuer and JWKS URL. The refusals of made-up
 * tokens (no exp, another issuer or audience, alg none, HS256 in production, keys not in the JWKS)
 * are in coordinator-tokens.int-spec.ts; here are those the real provider's tokens meet.
 */
describe('coordinator sign-in through the dev OpenID Connect provider (reporting app)', () => {
  let idp: RunningDevIdentityProvider;
  let otherIdp: RunningDevIdentityProvider;
  const members = new TestIssuer(MEMBER_ISSUER, 'valley-services');
  let production: INestApplication;
  let otherAudience: INestApplication;
  let client: OidcTestClient;

  const get = (app: INestApplication, token: string) =>
    request(app.getHttpServer()).get(ENDPOINT).set('Authorization', `Bearer ${token}`);

  async function bootInProduction(env: Record<string, string>): Promise<INestApplication> {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      return await startTestApp({
        service: 'reporting',
        configClass: ReportingConfig,
        module: (config) => ReportingAppModule.forRoot(config),
        topicPrefix: uniqueTopicPrefix(),
        // testServiceEnv sets AUTH_JWT_SECRET too: production must refuse HS256 all the same
        env,
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }

  beforeAll(async () => {
    const providerEnv = { DEV_IDP_REDIRECT_URIS: REDIRECT_URI, DEV_IDP_POST_LOGOUT_REDIRECT_URIS: SIGNED_OUT_URI };
    [idp, otherIdp] = await Promise.all([startDevIdentityProvider(providerEnv), startDevIdentityProvider(providerEnv)]);
    await members.start();
    const env = {
      AUTH_JWKS_URL: idp.jwksUrl,
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: idp.audience,
      AUTH_MEMBER_ISSUER: MEMBER_ISSUER,
      AUTH_MEMBER_JWKS_URL: members.jwksUrl,
    };
    production = await bootInProduction(env);
    otherAudience = await bootInProduction({ ...env, AUTH_AUDIENCE: 'reporting-only' });
    client = new OidcTestClient({
      issuer: idp.issuer,
      clientId: DEV_IDP_CLIENT_ID,
      clientSecret: DEV_IDP_CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      postLogoutRedirectUri: SIGNED_OUT_URI,
    });
  }, 120_000);

  afterAll(async () => {
    await production?.close();
    await otherAudience?.close();
    await members.stop();
    await idp?.stop();
    await otherIdp?.stop();
  });

  it('signs the development coordinator in by the code flow with PKCE; the access token opens a coordinator endpoint (200)', async () => {
    const signIn = await client.signIn(DEV_IDP_COORDINATOR);

    // the way a browser went: the authorization request, the DEV ONLY sign-in and consent pages
    expect(signIn.authorizationRequest.searchParams.get('code_challenge_method')).toBe('S256');
    expect(signIn.pages.map((page) => page.url.pathname)).toEqual([
      expect.stringMatching(/^\/interaction\/[\w-]+$/),
      expect.stringMatching(/^\/interaction\/[\w-]+$/),
    ]);
    expect(signIn.pages[0].html).toContain('DEV ONLY');
    expect(signIn.pages[0].html).toContain(DEV_IDP_COORDINATOR);
    expect(signIn.browser.visited.at(-1)).toMatch(new RegExp(`^GET ${REDIRECT_URI}\\?code=`));

    // a short-lived RS256 JWT for the services, naming the coordinator's roles
    const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = signIn.tokens;
    expect(refreshToken).toEqual(expect.any(String));
    expect(idToken).toEqual(expect.any(String));
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: 'valley-services',
      sub: DEV_IDP_COORDINATOR,
      roles: ['coordinator'],
      client_id: DEV_IDP_CLIENT_ID,
    });
    expect(claims.exp! - claims.iat!).toBe(600);

    expect((await get(production, accessToken)).status).toBe(200);
  });

  it('lets a person without the coordinator value sign in, and forbids the coordinator endpoint (403)', async () => {
    const signIn = await client.signIn(DEV_IDP_PERSON);

    expect(decodeJwt(signIn.tokens.access_token)).toMatchObject({ sub: DEV_IDP_PERSON, roles: [] });
    expect((await get(production, signIn.tokens.access_token)).status).toBe(403);
  });

  it('renews the access token with the refresh token while the session lasts; after sign-out the refresh token is refused', async () => {
    const signIn = await client.signIn(DEV_IDP_COORDINATOR);

    const renewed = await client.refresh(signIn.tokens.refresh_token!);
    expect(renewed.status).toBe(200);
    const accessToken = renewed.body.access_token as string;
    expect(accessToken).not.toBe(signIn.tokens.access_token);
    expect(decodeJwt(accessToken)).toMatchObject({ sub: DEV_IDP_COORDINATOR, roles: ['coordinator'] });
    expect((await get(production, accessToken)).status).toBe(200);
    const again = await client.refresh(renewed.body.refresh_token as string);
    expect(again.status).toBe(200);

    // RP-initiated logout: the provider's sign-out page, confirmed; back at the client's URI
    const signedOut = await client.signOut(signIn);
    expect(signedOut.url.href).toBe(SIGNED_OUT_URI);

    const afterSignOut = await client.refresh(again.body.refresh_token as string);
    expect(afterSignOut).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  });

  it('rotates refresh tokens: one used twice is refused, and ends its grant (the newer one too)', async () => {
    const signIn = await client.signIn(DEV_IDP_COORDINATOR);
    const renewed = await client.refresh(signIn.tokens.refresh_token!);
    expect(renewed.status).toBe(200);

    expect((await client.refresh(signIn.tokens.refresh_token!)).body).toMatchObject({ error: 'invalid_grant' });
    expect((await client.refresh(renewed.body.refresh_token as string)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an authorization request without PKCE, the implicit flow, and a code exchanged without its verifier', async () => {
    const { authorization_endpoint: authorize } = await client.metadata();
    const redirectOf = async (params: Record<string, string>) => {
      const url = new URL(authorize);
      for (const [key, value] of Object.entries({
        client_id: DEV_IDP_CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        state: 's',
        ...params,
      })) {
        url.searchParams.set(key, value);
      }
      const response = await fetch(url, { redirect: 'manual' });
      return new URL(response.headers.get('location') ?? 'http://no-redirect.invalid/');
    };

    const withoutPkce = await redirectOf({ response_type: 'code' });
    expect(withoutPkce.origin + withoutPkce.pathname).toBe(REDIRECT_URI);
    expect(withoutPkce.searchParams.get('error')).toBe('invalid_request');
    expect(withoutPkce.searchParams.get('error_description')).toMatch(/requires PKCE/);

    for (const implicit of ['token', 'id_token', 'id_token token', 'code id_token']) {
      const answer = await redirectOf({ response_type: implicit, nonce: 'n' });
      expect(`${answer.search}${answer.hash}`).toMatch(/error=unsupported_response_type/);
    }

    await expect(
      client.signIn(DEV_IDP_COORDINATOR, {}, 'a-verifier-the-challenge-was-not-made-from-0123'),
    ).rejects.toThrow(/the token endpoint answered 400: .*invalid_grant/);
  });

  it("refuses the provider's own tokens elsewhere: for another audience, from another issuer, re-signed HS256 in production, alg none (401)", async () => {
    const { tokens } = await client.signIn(DEV_IDP_COORDINATOR);
    expect((await get(production, tokens.access_token)).status).toBe(200);

    // the same token, at a service that is told another audience
    const otherAud = await get(otherAudience, tokens.access_token);
    expect(otherAud.status).toBe(401);
    expect(otherAud.body.message).toMatch(/aud/);

    // a token of another (real, running) provider: another issuer
    const stranger = new OidcTestClient({ ...client.options, issuer: otherIdp.issuer });
    const foreign = await get(production, (await stranger.signIn(DEV_IDP_COORDINATOR)).tokens.access_token);
    expect(foreign.status).toBe(401);
    expect(foreign.body.message).toMatch(/from another issuer/);

    // its claims re-signed with the HS256 development secret: production refuses HS256
    const claims = decodeJwt(tokens.access_token);
    const hs256 = signToken(TEST_JWT_SECRET, claims.sub!, ['coordinator'], 600, {
      issuer: idp.issuer,
      audience: idp.audience,
    });
    expect((await get(production, hs256)).status).toBe(401);

    // its header swapped for alg none, the signature dropped
    const [, payload] = tokens.access_token.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect((await get(production, unsigned)).status).toBe(401);
  });

  it('never lets a member token in at a coordinator endpoint, whatever it claims (403)', async () => {
    const member = await members.sign('ES256', { roles: ['member', 'coordinator'], memberId: MEMBER_ID });

    expect((await get(production, member)).status).toBe(403);
  });
});
