import { randomUUID } from 'node:crypto';
import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { signToken } from './auth.module';
import { AuthOptions } from './auth.options';
import { TokenVerifier } from './token-verifier';
import { RequestWithViewer, resolveViewer, Viewer, ViewerGuard } from './viewer';

const SECRET = 'test-secret-at-least-16';

function contextFor(request: RequestWithViewer): ExecutionContext {
  const http = { getRequest: () => request, getResponse: () => ({}), getNext: () => () => undefined };
  return { switchToHttp: () => http, getType: () => 'http' } as unknown as ExecutionContext;
}

describe('the viewer of a public endpoint', () => {
  const options: AuthOptions = { jwtSecret: SECRET, maxLifetimeSeconds: 12 * 3600, clockSkewSeconds: 30 };
  const verifier = new TokenVerifier(options);
  const guard = new ViewerGuard(verifier);
  const memberId = randomUUID();

  async function viewerOf(authorization?: string | string[]): Promise<Viewer | unknown> {
    const request: RequestWithViewer = { headers: authorization === undefined ? {} : { authorization } };
    try {
      expect(await guard.canActivate(contextFor(request))).toBe(true);
    } catch (error) {
      return error;
    }
    return request.viewer;
  }

  it('is anonymous without an Authorization header', async () => {
    expect(await viewerOf()).toEqual({ level: 'anonymous' });
  });

  it('is a coordinator with the coordinator role, a member with the member role and a memberId', async () => {
    const coordinator = await viewerOf(`Bearer ${signToken(SECRET, 'ona@valley.lt', ['coordinator'])}`);
    expect(coordinator).toMatchObject({ level: 'coordinator', principal: { subject: 'ona@valley.lt' } });
    const member = await viewerOf(`Bearer ${signToken(SECRET, 'jonas@baltled.lt', ['member'], 600, { memberId })}`);
    expect(member).toMatchObject({ level: 'member', principal: { memberId } });
    const both = await viewerOf(`bearer ${signToken(SECRET, 'x', ['member', 'coordinator'], 600, { memberId })}`);
    expect(both).toMatchObject({ level: 'coordinator' });
  });

  it('is anonymous-level with a valid token that grants neither (no role, a member role without memberId)', async () => {
    expect(await viewerOf(`Bearer ${signToken(SECRET, 'x', [])}`)).toMatchObject({ level: 'anonymous' });
    expect(await viewerOf(`Bearer ${signToken(SECRET, 'x', ['member'])}`)).toMatchObject({
      level: 'anonymous',
      principal: { subject: 'x', roles: ['member'] },
    });
  });

  it.each([
    ['a token of another secret', `Bearer ${signToken('another-secret-0123456789', 'x', ['coordinator'])}`],
    ['an expired token', `Bearer ${signToken(SECRET, 'x', ['coordinator'], -120)}`],
    ['garbage', 'Bearer a.b.c'],
    ['another scheme', 'Basic Y29vcmRpbmF0b3I6c2VjcmV0'],
    ['an empty header', ''],
    ['the header twice', ['Bearer a', 'Bearer b']],
  ])('refuses %s with a 401, never anonymous', async (_, header) => {
    expect(await viewerOf(header)).toBeInstanceOf(UnauthorizedException);
  });

  it('resolves a header outside a guard the same way (for middleware)', async () => {
    await expect(resolveViewer(verifier, undefined)).resolves.toEqual({ level: 'anonymous' });
    await expect(resolveViewer(verifier, 'Bearer a.b.c')).rejects.toBeInstanceOf(UnauthorizedException);
  });
});
