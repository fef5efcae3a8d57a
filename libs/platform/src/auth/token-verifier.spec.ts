import { HttpException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { signToken } from './auth.module';
import { AuthOptions } from './auth.options';
import { TEST_ISSUER_ALGS, TestIssuer } from '../testing/test-issuer';
import {
  bearerToken,
  claimAt,
  coordinatorPrincipalOf,
  memberPrincipalOf,
  principalOf,
  TokenVerifier,
} from './token-verifier';

const SECRET = 'test-secret-at-least-16';
const ISSUER = 'https://id.valley.test';
const MEMBER_ISSUER = 'https://membership.valley.test';
const AUDIENCE = 'valley-services';
const MEMBER_ID = '0b6f8f2e-3c1d-4e5a-9b7c-2d4e6f8a0b1c';

const ALGS = TEST_ISSUER_ALGS;

describe('TokenVerifier', () => {
  const issuer = new TestIssuer(ISSUER, AUDIENCE, '/jwks.json');
  let jwksUrl: string;

  beforeAll(async () => {
    await issuer.start();
    jwksUrl = issuer.jwksUrl;
  });

  afterAll(() => issuer.stop());

  const base: AuthOptions = { maxLifetimeSeconds: 3600, clockSkewSeconds: 30, issuer: ISSUER, audience: AUDIENCE };
  const withJwks = (extra: Partial<AuthOptions> = {}) => new TokenVerifier({ ...base, jwksUrl, ...extra });

  const now = () => Math.floor(Date.now() / 1000);
  const sign = issuer.sign.bind(issuer);

  async function refusal(verifier: TokenVerifier, token: string): Promise<HttpException> {
    const error = await verifier.verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof HttpException)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error;
  }

  it.each(ALGS)('accepts a %s token signed with a key of the JWKS', async (alg) => {
    await expect(withJwks().verify(await sign(alg))).resolves.toEqual({
      subject: 'ona@valley.lt',
      roles: ['coordinator'],
      coordinator: true,
    });
  });

  it('fetches the JWKS once and keeps it', async () => {
    const verifier = withJwks();
    const before = issuer.jwksRequests;
    for (const alg of ALGS) await verifier.verify(await sign(alg));
    await verifier.verify(await sign('RS256'));

    expect(issuer.jwksRequests - before).toBe(1);
  });

  it('refuses a token signed with a key not in the JWKS (401)', async () => {
    const error = await refusal(withJwks(), await sign('RS256', undefined, { kid: 'k-unknown', key: issuer.stranger }));
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toMatch(/no key of the issuer matches it/);

    // the right kid, the wrong key
    const forged = await refusal(withJwks(), await sign('RS256', undefined, { key: issuer.stranger }));
    expect(forged).toBeInstanceOf(UnauthorizedException);
    expect(forged.message).toMatch(/invalid signature/);
  });

  it.each([
    ['without exp', { exp: null }, /no exp/],
    ['expired', { exp: now() - 120 }, /jwt expired/],
    ['living longer than allowed', { exp: now() + 3600 + 31 + 60 }, /more than the 3600 s allowed/],
    ['from another issuer', { iss: 'https://evil.example' }, /iss/],
    ['for another audience', { aud: 'another-app' }, /aud/],
  ])('refuses an ES256 token %s (401)', async (_, options, message) => {
    const error = await refusal(withJwks(), await sign('ES256', undefined, options));

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toMatch(message);
  });

  it('refuses an unsigned token (alg none) and an HS256 token when only a JWKS is configured (401)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { sub: 'mallory', roles: ['coordinator'], iss: ISSUER, aud: AUDIENCE, exp: now() + 600 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const hs256 = signToken(SECRET, 'mallory', ['coordinator'], 600, { issuer: ISSUER, audience: AUDIENCE });

    for (const token of [unsigned, hs256]) {
      const error = await refusal(withJwks(), token);
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect(error.message).toMatch(/is not accepted \(RS256, ES256, EdDSA\)/);
    }
  });

  it('accepts HS256 with the secret outside production, refuses it in production whatever the secret (401)', async () => {
    const hs256 = signToken(SECRET, 'ona@valley.lt', ['coordinator'], 600, { issuer: ISSUER, audience: AUDIENCE });

    await expect(withJwks({ jwtSecret: SECRET }).verify(hs256)).resolves.toMatchObject({ coordinator: true });
    const error = await refusal(withJwks({ jwtSecret: SECRET, production: true }), hs256);
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toMatch(/"HS256" is not accepted \(RS256, ES256, EdDSA\)/);
    // and in production an asymmetric token still passes
    await expect(withJwks({ jwtSecret: SECRET, production: true }).verify(await sign('EdDSA'))).resolves.toMatchObject({
      coordinator: true,
    });
  });

  it('refuses an asymmetric token when no JWKS is configured (401)', async () => {
    const error = await refusal(new TokenVerifier({ ...base, jwtSecret: SECRET }), await sign('RS256'));

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toMatch(/"RS256" is not accepted \(HS256\)/);
  });

  it('refuses another asymmetric algorithm than the three (401)', async () => {
    const { privateKey } = await generateKeyPair('PS256');
    const token = await new SignJWT({ roles: ['coordinator'] })
      .setProtectedHeader({ alg: 'PS256', kid: 'k-RS256' })
      .setSubject('a')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now() + 600)
      .sign(privateKey);

    expect(await refusal(withJwks(), token)).toBeInstanceOf(UnauthorizedException);
  });

  it("answers 503, not 401, when the issuer's keys cannot be fetched", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await refusal(withJwks({ jwksUrl: `http://127.0.0.1:${port}/jwks.json` }), await sign('RS256'));
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(error.message).toMatch(/AUTH_JWKS_URL/);
  });

  it("grants no member from the coordinators' issuer, whatever its token claims", async () => {
    const token = await sign('ES256', { roles: ['member'], memberId: MEMBER_ID });

    await expect(withJwks().verify(token)).resolves.toEqual({
      subject: 'ona@valley.lt',
      roles: [],
      coordinator: false,
    });
  });

  it.each([
    [
      'Entra ID app roles',
      { rolesClaim: 'roles', coordinatorValues: ['Valley.Coordinator'] },
      { roles: ['Valley.Coordinator'] },
    ],
    [
      'Entra ID group object ids',
      { rolesClaim: 'groups', coordinatorValues: ['0f1e2d3c-aaaa-4bbb-8ccc-123456789abc', 'another-group'] },
      { groups: ['11111111-2222-4333-8444-555555555555', '0f1e2d3c-aaaa-4bbb-8ccc-123456789abc'] },
    ],
    [
      'Keycloak realm roles (a dotted path)',
      { rolesClaim: 'realm_access.roles' },
      { realm_access: { roles: ['coordinator'] } },
    ],
    [
      'a namespaced claim (dots in its name)',
      { rolesClaim: 'https://valley.lt/roles' },
      { 'https://valley.lt/roles': 'coordinator' },
    ],
  ])('maps the roles claim to coordinator: %s', async (_, options, claims) => {
    const verifier = withJwks(options);

    await expect(verifier.verify(await sign('RS256', claims))).resolves.toMatchObject({
      roles: ['coordinator'],
      coordinator: true,
    });
    // the default claim and value mean nothing under another mapping
    await expect(
      verifier.verify(await sign('RS256', { roles: ['coordinator'], groups: ['x'] })),
    ).resolves.toMatchObject({ coordinator: false, roles: [] });
  });
});

describe('TokenVerifier: the member tokens issuer', () => {
  const coordinators = new TestIssuer(ISSUER, AUDIENCE, '/jwks.json');
  const members = new TestIssuer(MEMBER_ISSUER, AUDIENCE, '/member-jwks.json');

  beforeAll(async () => {
    await coordinators.start();
    await members.start();
  });

  afterAll(async () => {
    await coordinators.stop();
    await members.stop();
  });

  const options = (extra: Partial<AuthOptions> = {}): AuthOptions => ({
    maxLifetimeSeconds: 3600,
    clockSkewSeconds: 30,
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl: coordinators.jwksUrl,
    memberIssuer: MEMBER_ISSUER,
    memberJwksUrl: members.jwksUrl,
    ...extra,
  });
  const verify = async (token: string, extra: Partial<AuthOptions> = {}) =>
    new TokenVerifier(options(extra)).verify(token).then(
      (principal) => principal,
      (error: unknown) => error as HttpException,
    );

  it('grants member with its memberId, over the JWKS URL and with the key set given locally', async () => {
    const token = await members.sign(
      'EdDSA',
      { roles: ['member'], memberId: MEMBER_ID },
      { subject: 'contact@org.lt' },
    );
    const member = { subject: 'contact@org.lt', roles: ['member'], coordinator: false, memberId: MEMBER_ID };

    await expect(verify(token)).resolves.toEqual(member);
    const before = members.jwksRequests;
    await expect(verify(token, { memberJwksUrl: undefined, memberJwks: members.jwks })).resolves.toEqual(member);
    expect(members.jwksRequests).toBe(before);
  });

  it('never grants coordinator to a member token, whatever it claims', async () => {
    const token = await members.sign('ES256', { roles: ['coordinator', 'member'], memberId: MEMBER_ID });

    await expect(verify(token)).resolves.toEqual({
      subject: 'ona@valley.lt',
      roles: ['member'],
      coordinator: false,
      memberId: MEMBER_ID,
    });
    await expect(verify(await members.sign('ES256', { roles: ['coordinator'] }))).resolves.toEqual({
      subject: 'ona@valley.lt',
      roles: [],
      coordinator: false,
    });
  });

  it("picks the key set by iss: each issuer's tokens need that issuer's keys", async () => {
    // a member token signed with the coordinators' key, and the other way round
    const forgedMember = await coordinators.sign(
      'RS256',
      { roles: ['member'], memberId: MEMBER_ID },
      { iss: MEMBER_ISSUER },
    );
    const forgedCoordinator = await members.sign('RS256', undefined, { iss: ISSUER });

    for (const token of [forgedMember, forgedCoordinator]) {
      const error = await verify(token);
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect((error as HttpException).message).toMatch(/invalid signature/);
    }
    await expect(verify(await coordinators.sign('RS256'))).resolves.toMatchObject({ coordinator: true });
  });

  it('refuses a token from any other issuer (401)', async () => {
    const error = await verify(
      await members.sign('RS256', { roles: ['member'], memberId: MEMBER_ID }, { iss: 'https://evil.example' }),
    );

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as HttpException).message).toMatch(/from another issuer/);
  });

  it('refuses a member token for another audience or without exp (401)', async () => {
    for (const extra of [{ aud: 'another-app' }, { exp: null }]) {
      const error = await verify(await members.sign('ES256', { roles: ['member'], memberId: MEMBER_ID }, extra));
      expect(error).toBeInstanceOf(UnauthorizedException);
    }
  });

  it("answers 503 naming AUTH_MEMBER_JWKS_URL when the member issuer's keys cannot be fetched", async () => {
    const error = await verify(await members.sign('RS256', { roles: ['member'], memberId: MEMBER_ID }), {
      memberJwksUrl: 'http://127.0.0.1:9/member-jwks.json',
    });

    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect((error as HttpException).message).toMatch(/AUTH_MEMBER_JWKS_URL/);
  });

  it('member tokens only (no coordinator JWKS): asymmetric algorithms accepted, other issuers refused', async () => {
    const only = { jwksUrl: undefined, issuer: undefined };
    await expect(
      verify(await members.sign('RS256', { roles: ['member'], memberId: MEMBER_ID }), only),
    ).resolves.toMatchObject({
      memberId: MEMBER_ID,
    });
    expect(await verify(await coordinators.sign('RS256'), only)).toBeInstanceOf(UnauthorizedException);
  });

  it("refuses to be configured with the coordinators' issuer as the member issuer", () => {
    expect(() => new TokenVerifier(options({ memberIssuer: ISSUER }))).toThrow(/must not be the coordinators/);
  });
});

describe('principalOf', () => {
  it.each([
    ['a memberId that is not a UUID', { roles: ['member'], memberId: 'org-7' }],
    ['a memberId that is a number', { roles: ['member'], memberId: 7 }],
    ['no memberId', { roles: ['member'] }],
    ['a memberId without the member role', { roles: ['coordinator'], memberId: MEMBER_ID }],
  ])('grants no member with %s', (_, claims) => {
    expect(principalOf({ sub: 'a', ...claims }).memberId).toBeUndefined();
  });

  it('keeps only string roles and needs a subject', () => {
    expect(principalOf({ sub: 'a', roles: ['member', 3, null], memberId: MEMBER_ID })).toEqual({
      subject: 'a',
      roles: ['member'],
      coordinator: false,
      memberId: MEMBER_ID,
    });
    expect(() => principalOf({ roles: ['coordinator'] })).toThrow(UnauthorizedException);
    expect(() => principalOf({ sub: '', roles: ['coordinator'] })).toThrow(UnauthorizedException);
  });
});

describe('coordinatorPrincipalOf, memberPrincipalOf, claimAt', () => {
  it('reads a claim by its name first, then by its dotted path', () => {
    expect(claimAt({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(claimAt({ a: { b: 2 } }, 'a.b')).toBe(2);
    expect(claimAt({ a: { b: 2 } }, 'a.c')).toBeUndefined();
    expect(claimAt({ a: 'x' }, 'a.b')).toBeUndefined();
    expect(claimAt({}, 'constructor')).toBeUndefined();
  });

  it('grants coordinator for any one of the values, never member, and needs a subject', () => {
    expect(coordinatorPrincipalOf({ sub: 'a', groups: ['g1', 'g2'] }, 'groups', ['g2', 'g3'])).toEqual({
      subject: 'a',
      roles: ['coordinator'],
      coordinator: true,
    });
    expect(coordinatorPrincipalOf({ sub: 'a', roles: ['member'], memberId: MEMBER_ID })).toEqual({
      subject: 'a',
      roles: [],
      coordinator: false,
    });
    expect(coordinatorPrincipalOf({ sub: 'a', roles: [3, 'coordinator'] })).toMatchObject({ coordinator: true });
    expect(() => coordinatorPrincipalOf({ roles: ['coordinator'] })).toThrow(UnauthorizedException);
  });

  it('grants member only with the role and a UUID memberId, never coordinator', () => {
    expect(memberPrincipalOf({ sub: 'a', roles: ['member', 'coordinator'], memberId: MEMBER_ID })).toEqual({
      subject: 'a',
      roles: ['member'],
      coordinator: false,
      memberId: MEMBER_ID,
    });
    for (const claims of [{ roles: ['member'] }, { roles: ['member'], memberId: 'org-7' }, { memberId: MEMBER_ID }]) {
      expect(memberPrincipalOf({ sub: 'a', ...claims })).toEqual({ subject: 'a', roles: [], coordinator: false });
    }
    expect(() => memberPrincipalOf({ roles: ['member'], memberId: MEMBER_ID })).toThrow(UnauthorizedException);
  });
});

describe('bearerToken', () => {
  it('takes the token of a Bearer header, in any case, and refuses anything else (401)', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    for (const header of [undefined, '', 'Basic abc', 'Bearer ', 'Bearer a b', ['Bearer a']]) {
      expect(() => bearerToken(header)).toThrow(UnauthorizedException);
    }
  });
});
