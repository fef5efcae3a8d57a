import { Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
} from 'jose';
import { errorMessage } from '@valley/messaging';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';

export const COORDINATOR_ROLE = 'coordinator';
export const MEMBER_ROLE = 'member';

/** What the identity provider may sign with: asymmetric algorithms only. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
/** Development and tests only: refused when NODE_ENV=production. */
export const DEVELOPMENT_ALGORITHM = 'HS256';

/** The default claim of the coordinators' identity provider that carries roles (AUTH_ROLES_CLAIM). */
export const DEFAULT_ROLES_CLAIM = 'roles';
/** The default values of that claim that mean `coordinator` (AUTH_COORDINATOR_VALUES). */
export const DEFAULT_COORDINATOR_VALUES = [COORDINATOR_ROLE];

/** Who a verified token speaks for. */
export interface Principal {
  /** The JWT subject: who did it, recorded in histories. */
  subject: string;
  /**
   * The Valley roles the token grants: `coordinator` (a coordinator issuer's token whose roles
   * claim holds a coordinator value) or `member` (a member token with its `memberId`); a
   * development HS256 token's `roles` claim as it is.
   */
  roles: string[];
  /** The token grants the `coordinator` role. */
  coordinator: boolean;
  /**
   * Set when the token grants the `member` role and carries a `memberId` claim that is a UUID: the
   * organisation (its one id, as applicant and as member) the token speaks for. A `member` role
   * without a valid `memberId` grants nothing.
   */
  memberId?: string;
}

/** The token of `Authorization: Bearer <token>` (the scheme in any case), or a 401. */
export function bearerToken(header: string | string[] | undefined): string {
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new UnauthorizedException('Authorization: Bearer <token> is required');
  return match[1];
}

function subjectOf(claims: JWTPayload): string {
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new UnauthorizedException('token has no subject');
  return claims.sub;
}

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];

/**
 * The value of a claim named `path`: the claim of that very name when there is one (namespaced
 * claims such as `https://valley.lt/roles` hold dots), else the dotted path (`realm_access.roles`).
 */
export function claimAt(claims: JWTPayload, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The principal of a development token (HS256): its `roles` claim as it is, `memberId` with the
 * `member` role.
 */
export function principalOf(claims: JWTPayload): Principal {
  const subject = subjectOf(claims);
  const roles = stringsOf(Array.isArray(claims.roles) ? claims.roles : []);
  const memberId = claims.memberId;
  return {
    subject,
    roles,
    coordinator: roles.includes(COORDINATOR_ROLE),
    ...(roles.includes(MEMBER_ROLE) && typeof memberId === 'string' && isUUID(memberId, 'all') ? { memberId } : {}),
  };
}

/**
 * The principal of a token from the coordinators' identity provider: `coordinator` when the roles
 * claim (a name or dotted path; a list or one string) holds one of the coordinator values, and
 * never `member`, whatever it claims.
 */
export function coordinatorPrincipalOf(
  claims: JWTPayload,
  rolesClaim = DEFAULT_ROLES_CLAIM,
  coordinatorValues: readonly string[] = DEFAULT_COORDINATOR_VALUES,
): Principal {
  const subject = subjectOf(claims);
  const coordinator = stringsOf(claimAt(claims, rolesClaim)).some((value) => coordinatorValues.includes(value));
  return { subject, roles: coordinator ? [COORDINATOR_ROLE] : [], coordinator };
}

/**
 * The principal of a member token (the membership service's own issuer): `member` with the
 * `memberId` it names, when its `roles` claim holds `member` and `memberId` is a UUID; never
 * `coordinator`, whatever it claims.
 */
export function memberPrincipalOf(claims: JWTPayload): Principal {
  const subject = subjectOf(claims);
  const memberId = claims.memberId;
  const member =
    stringsOf(claims.roles).includes(MEMBER_ROLE) && typeof memberId === 'string' && isUUID(memberId, 'all');
  return member
    ? { subject, roles: [MEMBER_ROLE], coordinator: false, memberId }
    : { subject, roles: [], coordinator: false };
}

/** The identity provider's keys could not be fetched: not the token's fault, so not a 401. */
class KeysUnavailable extends Error {}

/** Our own words for the refusals tests and clients rely on, whatever the library calls them. */
function refusal(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'invalid signature';
  if (error instanceof errors.JWTExpired) return 'jwt expired';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches it';
  return errorMessage(error, { name: false });
}

/** A key set fetched over HTTP and cached; failures to fetch it become KeysUnavailable. */
function remoteKeys(url: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url));
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new KeysUnavailable(errorMessage(error, { name: false }));
    }
  };
}

/** One trusted issuer of asymmetric tokens: its keys, and what its tokens may grant. */
interface TrustedIssuer {
  kind: 'coordinator' | 'member';
  /** undefined: `iss` not checked (a coordinator JWKS configured without AUTH_ISSUER). */
  issuer?: string;
  keys: JWTVerifyGetKey;
  /** The variable that names the keys, for the 503. */
  keysVariable: string;
}

/**
 * Verifies the bearer tokens of every service, in one place. Two kinds of issuer are trusted,
 * each with its own key set, picked by the token's `iss` (any other `iss` is refused):
 *
 * - the coordinators' identity provider (AUTH_ISSUER, keys at AUTH_JWKS_URL): its tokens grant
 *   `coordinator` when the roles claim (AUTH_ROLES_CLAIM) holds one of AUTH_COORDINATOR_VALUES,
 *   and never `member`;
 * - the membership service's issuer of member tokens (AUTH_MEMBER_ISSUER, keys at
 *   AUTH_MEMBER_JWKS_URL or given locally): its tokens grant `member` with their `memberId`, and
 *   never `coordinator`.
 *
 * Their tokens are signed with RS256, ES256 or EdDSA; remote key sets are fetched over HTTP and
 * cached (an unknown `kid` refetches, at most every 30 s). An HS256 token is checked against
 * AUTH_JWT_SECRET, outside production only (development tokens: their `roles` claim as it is). Any
 * other `alg` (`none` among them) is refused. The token must expire (`exp`), not further ahead than
 * the configured maximum lifetime, and, where configured, be for AUTH_AUDIENCE; clocks may differ
 * by the configured skew. Refusals are 401; keys that cannot be fetched are 503.
 */
@Injectable()
export class TokenVerifier {
  private readonly trusted: TrustedIssuer[] = [];
  private readonly secret?: Uint8Array;
  private readonly coordinatorValues: string[];

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {
    if (options.memberIssuer && options.memberIssuer === options.issuer) {
      throw new Error("the member issuer must not be the coordinators' issuer: each grants its own role");
    }
    const memberKeys = options.memberJwks
      ? createLocalJWKSet(options.memberJwks)
      : options.memberJwksUrl
        ? remoteKeys(options.memberJwksUrl)
        : undefined;
    if (options.memberIssuer && memberKeys) {
      this.trusted.push({
        kind: 'member',
        issuer: options.memberIssuer,
        keys: memberKeys,
        keysVariable: 'AUTH_MEMBER_JWKS_URL',
      });
    }
    if (options.jwksUrl) {
      this.trusted.push({
        kind: 'coordinator',
        issuer: options.issuer,
        keys: remoteKeys(options.jwksUrl),
        keysVariable: 'AUTH_JWKS_URL',
      });
    }
    this.coordinatorValues = options.coordinatorValues?.length ? options.coordinatorValues : DEFAULT_COORDINATOR_VALUES;
    if (options.jwtSecret && !options.production) this.secret = new TextEncoder().encode(options.jwtSecret);
  }

  /** The algorithms a token may be signed with under this configuration. */
  get algorithms(): string[] {
    return [...(this.trusted.length > 0 ? ASYMMETRIC_ALGORITHMS : []), ...(this.secret ? [DEVELOPMENT_ALGORITHM] : [])];
  }

  /** The trusted issuer a token names in `iss`, if any. */
  private trustedIssuerOf(token: string): TrustedIssuer | undefined {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch (error) {
      throw new UnauthorizedException(`invalid token: ${errorMessage(error, { name: false })}`);
    }
    return this.trusted.find((trusted) => trusted.issuer === undefined || trusted.issuer === iss);
  }

  async verify(token: string): Promise<Principal> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (error) {
      throw new UnauthorizedException(`invalid token: ${errorMessage(error, { name: false })}`);
    }
    const accepted = this.algorithms;
    if (typeof alg !== 'string' || !accepted.includes(alg)) {
      throw new UnauthorizedException(
        `invalid token: the algorithm ${JSON.stringify(alg)} is not accepted (${accepted.join(', ') || 'none configured'})`,
      );
    }
    const trusted = alg === DEVELOPMENT_ALGORITHM ? undefined : this.trustedIssuerOf(token);
    if (alg !== DEVELOPMENT_ALGORITHM && !trusted) {
      throw new UnauthorizedException(
        `invalid token: it is from another issuer than ${this.trusted.map((t) => JSON.stringify(t.issuer)).join(' and ')} (unexpected "iss" claim value)`,
      );
    }
    const issuer = trusted ? trusted.issuer : this.options.issuer;
    const checks: JWTVerifyOptions = {
      algorithms: [alg],
      clockTolerance: this.options.clockSkewSeconds,
      ...(issuer ? { issuer } : {}),
      ...(this.options.audience ? { audience: this.options.audience } : {}),
    };
    let claims: JWTPayload;
    try {
      claims = trusted
        ? (await jwtVerify(token, trusted.keys, checks)).payload
        : (await jwtVerify(token, this.secret!, checks)).payload;
    } catch (error) {
      if (error instanceof KeysUnavailable) {
        throw new ServiceUnavailableException(
          `the issuer's keys (${trusted?.keysVariable}) could not be fetched: ${error.message}`,
        );
      }
      throw new UnauthorizedException(`invalid token: ${refusal(error)}`);
    }
    if (typeof claims.exp !== 'number') throw new UnauthorizedException('invalid token: it has no exp');
    const secondsLeft = claims.exp - Date.now() / 1000;
    if (secondsLeft > this.options.maxLifetimeSeconds + this.options.clockSkewSeconds) {
      throw new UnauthorizedException(
        `invalid token: it expires in ${Math.round(secondsLeft)} s, more than the ${this.options.maxLifetimeSeconds} s allowed`,
      );
    }
    if (!trusted) return principalOf(claims);
    return trusted.kind === 'member'
      ? memberPrincipalOf(claims)
      : coordinatorPrincipalOf(claims, this.options.rolesClaim || DEFAULT_ROLES_CLAIM, this.coordinatorValues);
  }
}
