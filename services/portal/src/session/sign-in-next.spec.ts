import { loadConfig } from '@valley/platform';
import { PortalConfig } from '../portal.config';
import { areaOfPath } from './area.guard';
import { CoordinatorOidc } from './coordinator-oidc';
import { signInNext } from './sign-in-next';

describe('signInNext (where to come back to after signing in)', () => {
  it('keeps a path of this site, with its query', () => {
    expect(signInNext('/account')).toBe('/account');
    expect(signInNext('/console/members?q=led&p=2')).toBe('/console/members?q=led&p=2');
    expect(signInNext('/directory?q=%C5%A1')).toBe('/directory?q=%C5%A1');
  });

  it('refuses other sites and anything a browser could take for one (no open redirect)', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/%0a/evil',
      ' /account',
      '/account x',
      'javascript:alert(1)',
      'account',
      '',
      '/a\u0000b',
      `/${'a'.repeat(2100)}`,
    ]) {
      expect([bad, signInNext(bad)]).toEqual([bad, bad === '/%0a/evil' ? '/%0a/evil' : null]);
    }
    expect(signInNext(['/account'])).toBeNull();
    expect(signInNext(undefined)).toBeNull();
    expect(signInNext(42)).toBeNull();
  });

  it('never comes back to the sign-in pages or the sign-out (no loops)', () => {
    expect(signInNext('/sign-in')).toBeNull();
    expect(signInNext('/sign-in?next=/console')).toBeNull();
    expect(signInNext('/sign-in/link?token=x')).toBeNull();
    expect(signInNext('/sign-out')).toBeNull();
    expect(signInNext('/sign-inside')).toBe('/sign-inside');
  });
});

describe('the guarded areas', () => {
  it('go by path: /account… for members, /console… for coordinators', () => {
    expect(areaOfPath('/account')).toBe('member');
    expect(areaOfPath('/account/profile')).toBe('member');
    expect(areaOfPath('/console')).toBe('coordinator');
    expect(areaOfPath('/console/members/1')).toBe('coordinator');
    expect(areaOfPath('/consoles')).toBeNull();
    expect(areaOfPath('/accounting')).toBeNull();
    expect(areaOfPath('/directory')).toBeNull();
  });

  it("make a coordinator of the provider's roles claim holding a coordinator value (a name or a dotted path)", () => {
    const oidc = (env: Record<string, string> = {}) => new CoordinatorOidc(loadConfig(PortalConfig, env));
    expect(oidc().isCoordinator({ roles: ['coordinator'] })).toBe(true);
    expect(oidc().isCoordinator({ roles: 'coordinator' })).toBe(true);
    expect(oidc().isCoordinator({ roles: [] })).toBe(false);
    expect(oidc().isCoordinator({ roles: ['member'] })).toBe(false);
    expect(oidc().isCoordinator({})).toBe(false);
    const keycloak = oidc({ OIDC_ROLES_CLAIM: 'realm_access.roles', OIDC_COORDINATOR_VALUES: 'a, valley-coordinator' });
    expect(keycloak.isCoordinator({ realm_access: { roles: ['valley-coordinator'] } })).toBe(true);
    expect(keycloak.isCoordinator({ realm_access: { roles: ['coordinator'] } })).toBe(false);
    const dotted = oidc({ OIDC_ROLES_CLAIM: 'https://valley.lt/roles' });
    expect(dotted.isCoordinator({ 'https://valley.lt/roles': ['coordinator'] })).toBe(true);
  });

  it('build the redirect URI from PORTAL_PUBLIC_URL, else this machine and PORT', () => {
    expect(new CoordinatorOidc(loadConfig(PortalConfig, {})).redirectUri).toBe(
      'http://127.0.0.1:3000/sign-in/callback',
    );
    const deployed = new CoordinatorOidc(loadConfig(PortalConfig, { PORTAL_PUBLIC_URL: 'https://valley.example.lt' }));
    expect(deployed.redirectUri).toBe('https://valley.example.lt/sign-in/callback');
    expect(deployed.postLogoutRedirectUri).toBe('https://valley.example.lt/');
  });
});
