import { authOptionsOf } from '../auth/auth.options';
import { ConfigError, loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

const env = {
  PORT: '3001',
  METRICS_PORT: '9101',
  DATABASE_URL: 'postgres://valley_membership:pw@127.0.0.1:5432/valley',
};
const JWKS = {
  AUTH_JWKS_URL: 'https://id.valley.lt/.well-known/jwks.json',
  AUTH_ISSUER: 'https://id.valley.lt',
  AUTH_AUDIENCE: 'valley-services',
};

function problems(values: Record<string, string>): string[] {
  try {
    loadConfig(ServiceConfig, { ...env, ...values });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('ServiceConfig: token verification', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('takes a JWKS URL with its issuer and audience, and then needs no HS256 secret', () => {
    const config = loadConfig(ServiceConfig, { ...env, ...JWKS });

    expect(config.AUTH_JWKS_URL).toBe(JWKS.AUTH_JWKS_URL);
    expect(config.AUTH_JWT_SECRET).toBeUndefined();
  });

  it('needs the HS256 secret or a JWKS URL', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^AUTH_JWT_SECRET: .*\(got nothing\)$/)]);
  });

  it('needs AUTH_ISSUER and AUTH_AUDIENCE with a JWKS URL, and an http(s) URL', () => {
    expect(problems({ AUTH_JWKS_URL: JWKS.AUTH_JWKS_URL })).toEqual([
      expect.stringMatching(/^AUTH_ISSUER: is required with AUTH_JWKS_URL/),
      expect.stringMatching(/^AUTH_AUDIENCE: is required with AUTH_JWKS_URL/),
    ]);
    expect(problems({ ...JWKS, AUTH_JWKS_URL: 'file:///etc/jwks.json' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL: must be an http:\/\/ or https:\/\/ URL/),
    ]);
  });

  it('refuses to start in production without AUTH_JWKS_URL, the secret notwithstanding', () => {
    process.env.NODE_ENV = 'production';

    expect(problems({ AUTH_JWT_SECRET: 'a-long-enough-signing-secret' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL: is required when NODE_ENV=production .*\(got nothing\)$/),
    ]);
    expect(problems(JWKS)).toEqual([]);
  });

  it('maps the roles claim to coordinator by default with roles = coordinator, or as told', () => {
    const defaults = loadConfig(ServiceConfig, { ...env, ...JWKS });
    expect(defaults.AUTH_ROLES_CLAIM).toBe('roles');
    expect(defaults.AUTH_COORDINATOR_VALUES).toEqual(['coordinator']);

    const keycloak = loadConfig(ServiceConfig, {
      ...env,
      ...JWKS,
      AUTH_ROLES_CLAIM: 'realm_access.roles',
      AUTH_COORDINATOR_VALUES: 'valley-coordinator, cluster-staff',
    });
    expect(keycloak.AUTH_ROLES_CLAIM).toBe('realm_access.roles');
    expect(keycloak.AUTH_COORDINATOR_VALUES).toEqual(['valley-coordinator', 'cluster-staff']);

    expect(problems({ ...JWKS, AUTH_COORDINATOR_VALUES: ' , ' })).toEqual([
      expect.stringMatching(/^AUTH_COORDINATOR_VALUES: must list at least one value/),
    ]);
    expect(problems({ ...JWKS, AUTH_ROLES_CLAIM: 'realm access' })).toEqual([
      expect.stringMatching(/^AUTH_ROLES_CLAIM: must be a claim name or a dotted path/),
    ]);
  });

  it("takes the member tokens' issuer with its JWKS URL, each needing the other, and not the coordinators' issuer", () => {
    const member = {
      AUTH_MEMBER_ISSUER: 'https://membership.valley.lt',
      AUTH_MEMBER_JWKS_URL: 'https://membership.valley.lt/.well-known/jwks.json',
    };
    const config = loadConfig(ServiceConfig, { ...env, ...JWKS, ...member });
    expect(config.AUTH_MEMBER_ISSUER).toBe(member.AUTH_MEMBER_ISSUER);
    expect(config.AUTH_MEMBER_JWKS_URL).toBe(member.AUTH_MEMBER_JWKS_URL);

    expect(problems({ ...JWKS, AUTH_MEMBER_ISSUER: member.AUTH_MEMBER_ISSUER })).toEqual([
      expect.stringMatching(/^AUTH_MEMBER_JWKS_URL: is required with AUTH_MEMBER_ISSUER/),
    ]);
    expect(problems({ ...JWKS, AUTH_MEMBER_JWKS_URL: member.AUTH_MEMBER_JWKS_URL })).toEqual([
      expect.stringMatching(/^AUTH_MEMBER_ISSUER: is required with AUTH_MEMBER_JWKS_URL/),
    ]);
    expect(problems({ ...JWKS, ...member, AUTH_MEMBER_ISSUER: JWKS.AUTH_ISSUER })).toEqual([
      expect.stringMatching(/^AUTH_MEMBER_ISSUER: must differ from AUTH_ISSUER/),
    ]);
  });

  it('gives the verifier every AUTH_ variable, with HS256 off in production', () => {
    const config = loadConfig(ServiceConfig, {
      ...env,
      ...JWKS,
      AUTH_JWT_SECRET: 'a-long-enough-signing-secret',
      AUTH_ROLES_CLAIM: 'groups',
      AUTH_COORDINATOR_VALUES: 'g-1,g-2',
      AUTH_MEMBER_ISSUER: 'https://membership.valley.lt',
      AUTH_MEMBER_JWKS_URL: 'https://membership.valley.lt/.well-known/jwks.json',
    });
    const memberJwks = { keys: [] };

    expect(authOptionsOf(config, { memberJwks }, true)).toEqual({
      jwtSecret: 'a-long-enough-signing-secret',
      jwksUrl: JWKS.AUTH_JWKS_URL,
      production: true,
      issuer: JWKS.AUTH_ISSUER,
      audience: JWKS.AUTH_AUDIENCE,
      rolesClaim: 'groups',
      coordinatorValues: ['g-1', 'g-2'],
      memberIssuer: 'https://membership.valley.lt',
      memberJwksUrl: 'https://membership.valley.lt/.well-known/jwks.json',
      memberJwks,
      maxLifetimeSeconds: 12 * 3600,
      clockSkewSeconds: 30,
    });
  });
});
