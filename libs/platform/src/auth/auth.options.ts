import type { JSONWebKeySet } from 'jose';

export interface AuthOptions {
  /** HS256 secret: development and tests only, ignored (HS256 refused) when `production` is set. */
  jwtSecret?: string;
  /** The coordinators' identity provider's JWKS (RS256, ES256, EdDSA), fetched over HTTP and cached. */
  jwksUrl?: string;
  /** NODE_ENV=production: HS256 tokens are refused whatever `jwtSecret` says. */
  production?: boolean;
  /** The coordinators' identity provider: when set, an asymmetric token's `iss` must be it or `memberIssuer`. */
  issuer?: string;
  /** When set, `aud` must contain it (the same for both issuers). */
  audience?: string;
  /**
   * The claim of the coordinators' identity provider that carries roles or groups: a name
   * (`roles`, `groups`) or a dotted path (`realm_access.roles`). Default `roles`.
   */
  rolesClaim?: string;
  /** The values of that claim that mean `coordinator` (e.g. an Entra ID group's object id). Default `coordinator`. */
  coordinatorValues?: string[];
  /** The membership service's own issuer of member tokens: they grant `member` (with `memberId`) and nothing else. */
  memberIssuer?: string;
  /** Its JWKS, fetched over HTTP and cached. */
  memberJwksUrl?: string;
  /** Or its key set given directly (the membership service verifying its own tokens); wins over `memberJwksUrl`. */
  memberJwks?: JSONWebKeySet;
  /** A token whose `exp` lies further ahead than this is refused. */
  maxLifetimeSeconds: number;
  /** Tolerance between the issuer's clock and ours. */
  clockSkewSeconds: number;
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/** The verifier's options from a service's configuration (ServiceConfig's AUTH_* variables). */
export function authOptionsOf(
  config: {
    AUTH_JWT_SECRET?: string;
    AUTH_JWKS_URL?: string;
    AUTH_ISSUER?: string;
    AUTH_AUDIENCE?: string;
    AUTH_ROLES_CLAIM?: string;
    AUTH_COORDINATOR_VALUES?: string[];
    AUTH_MEMBER_ISSUER?: string;
    AUTH_MEMBER_JWKS_URL?: string;
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: number;
    AUTH_CLOCK_SKEW_SECONDS: number;
  },
  extra: Pick<AuthOptions, 'memberJwks'> = {},
  production = process.env.NODE_ENV === 'production',
): AuthOptions {
  return {
    jwtSecret: config.AUTH_JWT_SECRET,
    jwksUrl: config.AUTH_JWKS_URL,
    production,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    rolesClaim: config.AUTH_ROLES_CLAIM,
    coordinatorValues: config.AUTH_COORDINATOR_VALUES,
    memberIssuer: config.AUTH_MEMBER_ISSUER,
    memberJwksUrl: config.AUTH_MEMBER_JWKS_URL,
    maxLifetimeSeconds: config.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
    ...extra,
  };
}
