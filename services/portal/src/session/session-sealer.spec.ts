import { compactDecrypt, EncryptJWT } from 'jose';
import { hkdfSync } from 'node:crypto';
import { asPortalSession, nowSeconds, PortalSession } from './portal-session';
import { SessionSealer } from './session-sealer';

const SECRET = 'a-test-session-secret-of-enough-characters';

function session(overrides: Partial<PortalSession> = {}): PortalSession {
  return {
    kind: 'member',
    subject: 'ona@tiksli-mechanika.lt',
    email: 'ona@tiksli-mechanika.lt',
    name: null,
    memberId: '3f2a7c1e-8b4d-4e6f-a1b2-c3d4e5f60718',
    coordinator: false,
    canChange: true,
    accessToken: 'eyJhbGciOiJFUzI1NiJ9.access.token',
    accessExpiresAt: nowSeconds() + 600,
    refreshToken: 'r'.repeat(43),
    idToken: null,
    sessionExpiresAt: nowSeconds() + 8 * 3600,
    ...overrides,
  };
}

describe('SessionSealer (the session cookie)', () => {
  const sealer = new SessionSealer(SECRET);

  it('opens what it sealed: the same session', async () => {
    const value = await sealer.seal('session', session(), session().sessionExpiresAt);
    expect(asPortalSession((await sealer.open('session', value))!)).toEqual(session());
  });

  it('is a JWE (dir, A256GCM) whose content the browser cannot read: no token, no address in it', async () => {
    const value = await sealer.seal('session', session(), session().sessionExpiresAt);
    expect(value.split('.')).toHaveLength(5);
    expect(JSON.parse(Buffer.from(value.split('.')[0], 'base64url').toString())).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
    });
    const all = Buffer.from(value.replace(/\./g, ''), 'base64url').toString('latin1') + value;
    expect(all).not.toContain('ona@');
    expect(all).not.toContain('access.token');
    expect(all).not.toContain('rrrrrrrr');
  });

  it('refuses a changed cookie, another secret, another purpose, an expired one, and garbage', async () => {
    const value = await sealer.seal('session', session(), session().sessionExpiresAt);
    const parts = value.split('.');
    const flip = (s: string) => (s[5] === 'A' ? `${s.slice(0, 5)}B${s.slice(6)}` : `${s.slice(0, 5)}A${s.slice(6)}`);
    for (const i of [0, 2, 3, 4]) {
      const changed = parts.map((p, j) => (j === i ? flip(p) : p)).join('.');
      expect(await sealer.open('session', changed)).toBeNull();
    }
    expect(await new SessionSealer(`${SECRET}-other`).open('session', value)).toBeNull();
    expect(await sealer.open('oidc-transaction', value)).toBeNull();
    const expired = await sealer.seal('session', session(), nowSeconds() - 1);
    expect(await sealer.open('session', expired)).toBeNull();
    for (const junk of [undefined, '', 'abc', 'a.b.c.d.e', ['x'], 'x'.repeat(9000)]) {
      expect(await sealer.open('session', junk)).toBeNull();
    }
  });

  it('refuses a JWE made with the raw secret (the key is derived, per purpose) or another algorithm', async () => {
    const raw = new TextEncoder().encode(SECRET.slice(0, 32));
    const forged = await new EncryptJWT({ ...session() })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience('valley-portal:session')
      .setExpirationTime(nowSeconds() + 60)
      .encrypt(raw);
    expect(await sealer.open('session', forged)).toBeNull();
    // the right key, but A128CBC-HS256 is not what the portal seals with
    const sessionKey = new Uint8Array(hkdfSync('sha256', SECRET, 'valley-portal-cookies', 'session A256GCM', 32));
    const otherEnc = await new EncryptJWT({ ...session() })
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' })
      .setAudience('valley-portal:session')
      .setExpirationTime(nowSeconds() + 60)
      .encrypt(sessionKey);
    expect(await sealer.open('session', otherEnc)).toBeNull();
    // and the right key with the right algorithm opens: the derivation above is the sealer's
    const same = await sealer.seal('session', session(), nowSeconds() + 60);
    expect((await compactDecrypt(same, sessionKey)).plaintext.length).toBeGreaterThan(0);
  });

  it('refuses a short secret', () => {
    expect(() => new SessionSealer('short')).toThrow(/at least 32/);
  });

  it('takes only payloads of the session shape', () => {
    expect(asPortalSession({ ...session(), kind: 'admin' })).toBeNull();
    expect(asPortalSession({ ...session(), memberId: null })).toBeNull();
    expect(asPortalSession({ ...session(), accessToken: 1 })).toBeNull();
    expect(asPortalSession({ ...session(), kind: 'member', coordinator: true })).toMatchObject({ coordinator: false });
    expect(asPortalSession({ ...session({ kind: 'coordinator', memberId: null, coordinator: true }) })).toMatchObject({
      kind: 'coordinator',
      coordinator: true,
    });
  });

  it('keeps a coordinator session with its tokens under the 4 kB a cookie may have', async () => {
    const jwt = (bytes: number) => 'x'.repeat(bytes);
    const value = await sealer.seal(
      'session',
      session({
        kind: 'coordinator',
        memberId: null,
        accessToken: jwt(1100),
        idToken: jwt(1000),
        refreshToken: jwt(43),
      }),
      nowSeconds() + 3600,
    );
    expect(value.length).toBeLessThan(3_900);
  });
});
