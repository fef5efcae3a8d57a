import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { signToken } from './auth.module';
import { AuthOptions } from './auth.options';
import { COORDINATOR_ROLE, CoordinatorGuard, RequestWithActor } from './coordinator.guard';
import { TokenVerifier } from './token-verifier';

const SECRET = 'test-secret-at-least-16';

function contextFor(request: RequestWithActor): ExecutionContext {
  const http = { getRequest: () => request, getResponse: () => ({}), getNext: () => () => undefined };
  return { switchToHttp: () => http, getType: () => 'http' } as unknown as ExecutionContext;
}

function request(authorization?: string): RequestWithActor {
  return { headers: authorization === undefined ? {} : { authorization } };
}

describe('CoordinatorGuard', () => {
  const jwt = new JwtService({ secret: SECRET });
  const options: AuthOptions = { jwtSecret: SECRET, maxLifetimeSeconds: 12 * 3600, clockSkewSeconds: 30 };
  const guard = new CoordinatorGuard(new TokenVerifier(options));

  const sign = (payload: object, options: Parameters<JwtService['sign']>[1] = {}) =>
    jwt.sign(payload, { subject: 'coordinator@valley.lt', algorithm: 'HS256', expiresIn: 600, ...options });

  async function outcome(req: RequestWithActor): Promise<unknown> {
    try {
      return await guard.canActivate(contextFor(req));
    } catch (error) {
      return error;
    }
  }

  it('lets a coordinator in and records the actor on the request', async () => {
    const req = request(`Bearer ${sign({ roles: ['member-viewer', COORDINATOR_ROLE] })}`);

    await expect(guard.canActivate(contextFor(req))).resolves.toBe(true);

    expect(req.actor).toEqual({ subject: 'coordinator@valley.lt', roles: ['member-viewer', 'coordinator'] });
  });

  it('accepts tokens made by signToken and a lower-case scheme', async () => {
    const req = request(`bearer ${signToken(SECRET, 'ona@valley.lt', ['coordinator'])}`);

    await expect(guard.canActivate(contextFor(req))).resolves.toBe(true);
    expect(req.actor).toEqual({ subject: 'ona@valley.lt', roles: ['coordinator'] });
  });

  it('keeps only string roles', async () => {
    const req = request(`Bearer ${sign({ roles: ['coordinator', 7, null, { admin: true }] })}`);

    await guard.canActivate(contextFor(req));

    expect(req.actor?.roles).toEqual(['coordinator']);
  });

  it('refuses a request without an Authorization header (401)', async () => {
    const req = request();
    const error = await outcome(req);

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as UnauthorizedException).getStatus()).toBe(401);
    expect(req.actor).toBeUndefined();
  });

  it.each([
    ['another scheme', () => `Basic ${Buffer.from('coordinator:secret').toString('base64')}`],
    ['no token', () => 'Bearer '],
    ['a bare token', () => sign({ roles: ['coordinator'] })],
    ['two tokens', () => `Bearer ${sign({ roles: ['coordinator'] })} ${sign({ roles: ['coordinator'] })}`],
    ['a token that is not a JWT', () => 'Bearer not-a-jwt'],
  ])('refuses a malformed header: %s (401)', async (_, header) => {
    const req = request(header());
    const error = await outcome(req);

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(req.actor).toBeUndefined();
  });

  it('refuses a token signed with another secret (401)', async () => {
    const forged = new JwtService({ secret: 'another-secret-of-16-chars' }).sign(
      { roles: ['coordinator'] },
      { subject: 'mallory', expiresIn: 600 },
    );
    const req = request(`Bearer ${forged}`);
    const error = await outcome(req);

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as Error).message).toMatch(/invalid token: invalid signature/);
    expect(req.actor).toBeUndefined();
  });

  it('refuses an expired token (401)', async () => {
    // issued an hour ago, valid for a minute
    const expired = sign({ roles: ['coordinator'], iat: Math.floor(Date.now() / 1000) - 3600 }, { expiresIn: 60 });
    const req = request(`Bearer ${expired}`);
    const error = await outcome(req);

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as Error).message).toMatch(/jwt expired/);
    expect(req.actor).toBeUndefined();
  });

  it('refuses a token signed with the right secret but another algorithm (401)', async () => {
    const req = request(`Bearer ${sign({ roles: ['coordinator'] }, { algorithm: 'HS512' })}`);

    expect(await outcome(req)).toBeInstanceOf(UnauthorizedException);
  });

  it('refuses an unsigned token (alg none) (401)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', roles: ['coordinator'] })}.`;

    expect(await outcome(request(`Bearer ${unsigned}`))).toBeInstanceOf(UnauthorizedException);
  });

  it('refuses a valid token without a subject (401)', async () => {
    const anonymous = jwt.sign({ roles: ['coordinator'] }, { expiresIn: 600 });

    expect(await outcome(request(`Bearer ${anonymous}`))).toBeInstanceOf(UnauthorizedException);
  });

  it.each([
    ['other roles', { roles: ['member', 'Coordinator '] }],
    ['no roles claim', {}],
    ['roles as a string', { roles: 'coordinator' }],
  ])('forbids a valid token with %s (403)', async (_, claims) => {
    const req = request(`Bearer ${sign(claims)}`);
    const error = await outcome(req);

    expect(error).toBeInstanceOf(ForbiddenException);
    expect((error as ForbiddenException).getStatus()).toBe(403);
    expect(req.actor).toBeUndefined();
  });

  it("forbids a member's token, memberId and all (403), and records the principal of a coordinator's", async () => {
    const member = request(
      `Bearer ${signToken(SECRET, 'ona@member.lt', ['member'], 600, { memberId: '0b6f8f2e-3c1d-4e5a-9b7c-2d4e6f8a0b1c' })}`,
    );
    const error = await outcome(member);
    expect(error).toBeInstanceOf(ForbiddenException);
    expect(member.actor).toBeUndefined();
    expect(member.principal).toBeUndefined();

    const coordinator = request(`Bearer ${sign({ roles: [COORDINATOR_ROLE] })}`);
    await guard.canActivate(contextFor(coordinator));
    expect(coordinator.principal).toEqual({
      subject: 'coordinator@valley.lt',
      roles: ['coordinator'],
      coordinator: true,
    });
  });

  describe('lifetime, issuer and audience', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const strict = new CoordinatorGuard(
      new TokenVerifier({
        ...options,
        issuer: 'https://id.valley.lt',
        audience: 'valley-services',
        maxLifetimeSeconds: 3600,
        clockSkewSeconds: 30,
      }),
    );
    const against = async (g: CoordinatorGuard, token: string) => {
      try {
        return await g.canActivate(contextFor(request(`Bearer ${token}`)));
      } catch (error) {
        return error;
      }
    };
    const good = (claims: { exp?: number } = {}) =>
      jwt.sign(
        { roles: ['coordinator'], exp: now() + 600, ...claims },
        { subject: 'ona@valley.lt', issuer: 'https://id.valley.lt', audience: 'valley-services' },
      );

    it('refuses a token without exp: it would live forever (401)', async () => {
      const forever = jwt.sign({ roles: ['coordinator'] }, { subject: 'mallory' });

      const error = await against(guard, forever);
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect((error as Error).message).toMatch(/no exp/);
    });

    it('refuses a token whose exp lies further ahead than the maximum lifetime (401)', async () => {
      const error = await against(strict, good({ exp: now() + 3600 + 31 + 60 }));

      expect(error).toBeInstanceOf(UnauthorizedException);
      expect((error as Error).message).toMatch(/more than the 3600 s allowed/);
    });

    it('accepts exp up to the maximum lifetime plus the clock skew', async () => {
      expect(await against(strict, good({ exp: now() + 3600 + 20 }))).toBe(true);
    });

    it('accepts a token expired less than the clock skew ago, refuses one expired longer ago', async () => {
      expect(await against(strict, good({ exp: now() - 10 }))).toBe(true);
      expect(await against(strict, good({ exp: now() - 60 }))).toBeInstanceOf(UnauthorizedException);
    });

    it('refuses a token from another issuer, or for another audience, when both are configured (401)', async () => {
      const otherIssuer = jwt.sign(
        { roles: ['coordinator'] },
        { subject: 'a', expiresIn: 600, issuer: 'https://evil.example', audience: 'valley-services' },
      );
      const otherAudience = jwt.sign(
        { roles: ['coordinator'] },
        { subject: 'a', expiresIn: 600, issuer: 'https://id.valley.lt', audience: 'another-app' },
      );
      const neither = jwt.sign({ roles: ['coordinator'] }, { subject: 'a', expiresIn: 600 });

      for (const token of [otherIssuer, otherAudience, neither]) {
        expect(await against(strict, token)).toBeInstanceOf(UnauthorizedException);
      }
      expect(await against(strict, good())).toBe(true);
    });

    it('signToken writes issuer and audience when asked', async () => {
      const token = signToken(SECRET, 'ona@valley.lt', ['coordinator'], 600, {
        issuer: 'https://id.valley.lt',
        audience: 'valley-services',
      });

      expect(await against(strict, token)).toBe(true);
    });
  });
});
