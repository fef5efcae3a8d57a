import { IsIn, IsInt, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';

/** DEV ONLY: signs the portal's CSRF tokens on a developer's machine; refused when NODE_ENV=production. */
export const DEV_ONLY_PORTAL_COOKIE_SECRET = 'valley-dev-only-portal-cookie-secret';

/** DEV ONLY: the development OpenID Connect provider (tools/dev-identity-provider) and its portal client. */
export const DEV_ONLY_OIDC_ISSUER_URL = 'http://127.0.0.1:4400';
export const DEV_ONLY_OIDC_CLIENT_ID = 'valley-portal';
export const DEV_ONLY_OIDC_CLIENT_SECRET = 'valley-dev-only-portal-client-secret';

const production = () => process.env.NODE_ENV === 'production';

/** A DEV ONLY default that production refuses, as PORTAL_COOKIE_SECRET's. */
function notDevDefaultInProduction(name: string, devDefault: string) {
  return ValidateBy({
    name: 'notDevDefaultInProduction',
    validator: {
      validate: (value: unknown) => !production() || value !== devDefault,
      defaultMessage: () => `${name} must be set in production (the default is for development only)`,
    },
  });
}

const SERVICE_URL = /^https?:\/\/[^\s/]+(\/[^\s]*[^/\s])?$/;
const serviceUrl = (name: string) => ({ message: `${name} must be an http(s):// URL without a trailing slash` });

/**
 * The portal's variables. It has no database and no Kafka: it reaches the four services over
 * their HTTP APIs only, so it does not extend ServiceConfig (whose DATABASE_URL, KAFKA_* and
 * AUTH_JWT_SECRET it would never read). Validated by the same loadConfig as the services.
 */
export class PortalConfig {
  /** HTTP port (0: any free port). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Base URLs of the services' APIs (DEV ONLY defaults: npm start's ports on this machine). */
  @Matches(SERVICE_URL, serviceUrl('MEMBERSHIP_URL'))
  MEMBERSHIP_URL: string = 'http://127.0.0.1:3001';

  @Matches(SERVICE_URL, serviceUrl('DIRECTORY_URL'))
  DIRECTORY_URL: string = 'http://127.0.0.1:3002';

  @Matches(SERVICE_URL, serviceUrl('NOTIFICATIONS_URL'))
  NOTIFICATIONS_URL: string = 'http://127.0.0.1:3003';

  @Matches(SERVICE_URL, serviceUrl('REPORTING_URL'))
  REPORTING_URL: string = 'http://127.0.0.1:3004';

  /** How long a page waits for a service before it says that part is unavailable. */
  @IsInt()
  @Min(100)
  @Max(30_000)
  UPSTREAM_TIMEOUT_MS: number = 2_000;

  /**
   * Proxies in front of the portal whose X-Forwarded-For it believes (Express `trust proxy`):
   * addresses or CIDRs, comma-separated, or loopback / linklocal / uniquelocal. Empty: none,
   * the visitor is whoever connects. The visitor's address goes on to the services.
   */
  @IsString()
  @Matches(/^[0-9A-Za-z.:/, ]*$/, {
    message: 'TRUST_PROXY must list addresses, CIDRs or loopback/linklocal/uniquelocal',
  })
  TRUST_PROXY: string = '';

  /** HMAC secret of the CSRF tokens (≥ 32 characters). The DEV ONLY default is refused in production. */
  @IsString()
  @MinLength(32, { message: 'PORTAL_COOKIE_SECRET must be at least 32 characters' })
  @ValidateBy({
    name: 'notDevSecretInProduction',
    validator: {
      validate: (value: unknown) => process.env.NODE_ENV !== 'production' || value !== DEV_ONLY_PORTAL_COOKIE_SECRET,
      defaultMessage: () => 'PORTAL_COOKIE_SECRET must be set in production (the default is for development only)',
    },
  })
  PORTAL_COOKIE_SECRET: string = DEV_ONLY_PORTAL_COOKIE_SECRET;

  /**
   * Encrypts and authenticates the session cookie (≥ 32 characters; its key is derived with HKDF).
   * Empty: PORTAL_COOKIE_SECRET's (then one secret to rotate). Changing it signs everyone out.
   */
  @IsString()
  @ValidateBy({
    name: 'sessionSecretLength',
    validator: {
      validate: (value: unknown) => value === '' || (typeof value === 'string' && value.length >= 32),
      defaultMessage: () => 'PORTAL_SESSION_SECRET must be at least 32 characters (or empty: PORTAL_COOKIE_SECRET)',
    },
  })
  PORTAL_SESSION_SECRET: string = '';

  /**
   * The portal's own address as browsers reach it, without a trailing slash: the OpenID Connect
   * redirect URI is `<it>/sign-in/callback`, the sign-out's `<it>/`. Empty: http://127.0.0.1:<PORT>
   * (DEV ONLY; refused in production).
   */
  @IsString()
  @Matches(/^(https?:\/\/[^\s/]+)?$/, {
    message: 'PORTAL_PUBLIC_URL must be an http(s):// origin without a path or trailing slash',
  })
  @ValidateBy({
    name: 'publicUrlInProduction',
    validator: {
      validate: (value: unknown) => !production() || value !== '',
      defaultMessage: () => 'PORTAL_PUBLIC_URL must be set in production (https://<the portal>)',
    },
  })
  PORTAL_PUBLIC_URL: string = '';

  /** The coordinators' OpenID Connect provider (its issuer; discovery at /.well-known/openid-configuration). */
  @Matches(SERVICE_URL, serviceUrl('OIDC_ISSUER_URL'))
  @notDevDefaultInProduction('OIDC_ISSUER_URL', DEV_ONLY_OIDC_ISSUER_URL)
  OIDC_ISSUER_URL: string = DEV_ONLY_OIDC_ISSUER_URL;

  /** The portal's client at the provider (confidential, client_secret_basic). */
  @IsString()
  @MinLength(1)
  OIDC_CLIENT_ID: string = DEV_ONLY_OIDC_CLIENT_ID;

  @IsString()
  @MinLength(1)
  @notDevDefaultInProduction('OIDC_CLIENT_SECRET', DEV_ONLY_OIDC_CLIENT_SECRET)
  OIDC_CLIENT_SECRET: string = DEV_ONLY_OIDC_CLIENT_SECRET;

  /** The access token claim naming the person's roles (a name or a dotted path), as AUTH_ROLES_CLAIM. */
  @IsString()
  @MinLength(1)
  OIDC_ROLES_CLAIM: string = 'roles';

  /** Any of these values (comma-separated) in that claim makes the person a coordinator, as AUTH_COORDINATOR_VALUES. */
  @IsString()
  @MinLength(1)
  OIDC_COORDINATOR_VALUES: string = 'coordinator';

  /** How long a coordinator's portal session lasts at most (the provider's own session may end it sooner). */
  @IsInt()
  @Min(300)
  @Max(7 * 24 * 3600)
  PORTAL_SESSION_SECONDS: number = 8 * 3600;

  /** The access token is renewed with the refresh token when it has fewer seconds than this left. */
  @IsInt()
  @Min(0)
  @Max(3600)
  PORTAL_RENEW_BEFORE_SECONDS: number = 60;
}

/** The portal's public origin: PORTAL_PUBLIC_URL, else (development) http://127.0.0.1:<PORT>. */
export function portalPublicUrl(config: PortalConfig): string {
  return config.PORTAL_PUBLIC_URL || `http://127.0.0.1:${config.PORT}`;
}

/** The secret the session cookie's key comes from. */
export function sessionSecret(config: PortalConfig): string {
  return config.PORTAL_SESSION_SECRET || config.PORTAL_COOKIE_SECRET;
}

/**
 * Cookies are `Secure` outside development: everywhere but NODE_ENV=development (npm start) and
 * test (jest), so that a deployment behind https never sends them in the clear.
 */
export function secureCookies(nodeEnv: string | undefined): boolean {
  return nodeEnv !== 'development' && nodeEnv !== 'test';
}
