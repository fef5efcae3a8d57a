import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { signToken } from './auth.module';
import { COORDINATOR_ROLE, CoordinatorGuard, RequestWithActor } from './coordinator.guard';

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
  const guard = new CoordinatorGuard(jwt);

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
});
