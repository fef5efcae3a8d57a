import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

const commaList = () =>
  Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s: string) => s.trim())
          .filter(Boolean)
      : value,
  );

/** The value differs from the named other variable's (when both are set). */
@ValidatorConstraint({ name: 'differsFrom' })
class DiffersFrom implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const other = (args.object as Record<string, unknown>)[args.constraints[0] as string];
    return value === undefined || other === undefined || value !== other;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must differ from ${args.constraints[0]}: each issuer grants its own role`;
  }
}

/** The value is at most the named other variable's. */
@ValidatorConstraint({ name: 'atMost' })
class AtMost implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const other = (args.object as Record<string, unknown>)[args.constraints[0] as string];
    return typeof value !== 'number' || typeof other !== 'number' || value <= other;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must not be greater than ${args.constraints[0]}`;
  }
}

/**
 * Variables every Valley service reads. A service's own config class extends this one.
 * Development defaults are marked DEV ONLY; production sets every variable explicitly.
 */
export class ServiceConfig {
  /** HTTP port (0: any free port). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT!: number;

  /** This service's own login role on its own schema, e.g. postgres://valley_directory:…@host:5432/valley. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated bootstrap servers, e.g. 127.0.0.1:9092. */
  @commaList()
  @ArrayMinSize(1, { message: 'KAFKA_BROKERS must list at least one host:port' })
  @Matches(/^[^\s:]+:\d+$/, { each: true, message: 'KAFKA_BROKERS entries must be host:port' })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  /** Prepended to topic and consumer group names; isolates environments that share a cluster. */
  @IsString()
  @Matches(/^[a-z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may hold only a-z, 0-9, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX: string = '';

  /** Partitions for topics a service creates when they are missing. */
  @IsInt()
  @Min(1)
  KAFKA_PARTITIONS: number = 6;

  /**
   * Replicas of each topic a service creates (3 on a cluster of three or more brokers; 1 on the
   * single development broker). Topics that exist already keep theirs.
   */
  @IsInt()
  @Min(1)
  KAFKA_REPLICATION_FACTOR: number = 1;

  /**
   * Replicas that must have a write before the broker acknowledges it (the producers ask for
   * all in-sync replicas): 2 with 3 replicas, so a write survives the loss of one broker.
   */
  @IsInt()
  @Min(1)
  @Validate(AtMost, ['KAFKA_REPLICATION_FACTOR'])
  KAFKA_MIN_INSYNC_REPLICAS: number = 1;

  /**
   * How long the group waits for a consumer that stopped heartbeating (a process killed with
   * kill -9) before giving its partitions to the others, and so how long a restarted instance
   * waits before it consumes again. Heartbeats go every tenth of it.
   */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 8_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Port of the Prometheus endpoint (GET /metrics), apart from the public port (0: any free port). */
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT!: number;

  /** Interface the metrics port listens on. */
  @IsString()
  @IsNotEmpty()
  METRICS_HOST: string = '0.0.0.0';

  /**
   * How long an idle keep-alive connection stays open. Longer than any client's or load
   * balancer's own idle timeout (60 s is common), so that the server never closes a connection
   * a client is just reusing (the client would see a reset).
   */
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;

  /** Browser origins allowed to call this service (CORS), comma-separated, e.g. https://valley.lt. Empty: none. */
  @commaList()
  @Matches(/^https?:\/\/[^\s/]+$/, {
    each: true,
    message: 'CORS_ORIGINS entries must be origins such as https://valley.lt (scheme and host, no path)',
  })
  CORS_ORIGINS: string[] = [];

  /** Strict-Transport-Security max-age in seconds, for deployments behind TLS (0: header not sent). */
  @IsInt()
  @Min(0)
  HSTS_MAX_AGE_SECONDS: number = 0;

  /**
   * Per-client rate limits of the endpoints anyone can call without a token: empty for the
   * service's defaults, `off` for none, or overrides such as `applications=5/60,search=600/60`
   * (requests per seconds, by the rule names in the service's README).
   */
  @Matches(/^(off|([a-z-]+=\d+\/\d+)(,[a-z-]+=\d+\/\d+)*)?$/, {
    message: 'RATE_LIMITS must be empty, off, or name=requests/seconds pairs separated by commas',
  })
  RATE_LIMITS: string = '';

  /**
   * Where the rate-limit counters live, shared by every instance of every service. DEV ONLY
   * default. While it is unreachable, each instance counts on its own.
   */
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /**
   * Which proxies' X-Forwarded-For is believed when telling clients apart: `loopback`,
   * `uniquelocal`, `linklocal`, addresses or CIDR ranges, comma-separated (the portal and the
   * ingress). Empty: none, the peer address is the client.
   */
  @commaList()
  @IsString({ each: true })
  TRUST_PROXY: string[] = ['loopback'];

  /**
   * HS256 secret for development and test tokens, refused (the tokens) when NODE_ENV=production.
   * No default: set it, or AUTH_JWKS_URL (npm start sets a DEV ONLY one).
   */
  @ValidateIf((config: ServiceConfig) => config.AUTH_JWT_SECRET !== undefined || !config.AUTH_JWKS_URL)
  @IsString()
  @IsNotEmpty()
  @MinLength(16, { message: 'AUTH_JWT_SECRET must be at least 16 characters' })
  AUTH_JWT_SECRET?: string;

  /**
   * The identity provider's JSON Web Key Set: tokens signed with RS256, ES256 or EdDSA are checked
   * against it (fetched over HTTP, cached). Required when NODE_ENV=production, where HS256 is refused.
   */
  @ValidateIf((config: ServiceConfig) => config.AUTH_JWKS_URL !== undefined || process.env.NODE_ENV === 'production')
  @Matches(/^https?:\/\/\S+$/, {
    message: ({ value }) =>
      value === undefined
        ? 'AUTH_JWKS_URL is required when NODE_ENV=production (HS256 tokens are refused there): set the identity provider JWKS URL'
        : 'AUTH_JWKS_URL must be an http:// or https:// URL',
  })
  AUTH_JWKS_URL?: string;

  /** When set, a token's `iss` must equal it. Required with AUTH_JWKS_URL. */
  @ValidateIf((config: ServiceConfig) => config.AUTH_ISSUER !== undefined || !!config.AUTH_JWKS_URL)
  @IsString()
  @IsNotEmpty({ message: 'AUTH_ISSUER is required with AUTH_JWKS_URL: the issuer whose tokens are accepted' })
  AUTH_ISSUER?: string;

  /** When set, a token's `aud` must contain it. Required with AUTH_JWKS_URL. */
  @ValidateIf((config: ServiceConfig) => config.AUTH_AUDIENCE !== undefined || !!config.AUTH_JWKS_URL)
  @IsString()
  @IsNotEmpty({
    message: 'AUTH_AUDIENCE is required with AUTH_JWKS_URL: the audience the issuer names the services by',
  })
  AUTH_AUDIENCE?: string;

  /**
   * The claim of the coordinators' identity provider that carries roles or groups: a claim name
   * (`roles`, `groups`) or a dotted path (Keycloak: `realm_access.roles`).
   */
  @IsString()
  @Matches(/^[^\s]+$/, { message: 'AUTH_ROLES_CLAIM must be a claim name or a dotted path, without spaces' })
  AUTH_ROLES_CLAIM: string = 'roles';

  /**
   * The values of AUTH_ROLES_CLAIM that make a person `coordinator`, comma-separated: an app role's
   * value, a group's name or (Entra ID, Google) a group's object id.
   */
  @commaList()
  @ArrayMinSize(1, { message: 'AUTH_COORDINATOR_VALUES must list at least one value of AUTH_ROLES_CLAIM' })
  @IsString({ each: true })
  AUTH_COORDINATOR_VALUES: string[] = ['coordinator'];

  /**
   * The membership service's own issuer of member tokens (`iss`): they grant `member` with their
   * `memberId` and never `coordinator`. Set with AUTH_MEMBER_JWKS_URL; unset: no member tokens.
   */
  @ValidateIf((config: ServiceConfig) => config.AUTH_MEMBER_ISSUER !== undefined || !!config.AUTH_MEMBER_JWKS_URL)
  @IsString()
  @IsNotEmpty({ message: 'AUTH_MEMBER_ISSUER is required with AUTH_MEMBER_JWKS_URL: the issuer of member tokens' })
  @Validate(DiffersFrom, ['AUTH_ISSUER'])
  AUTH_MEMBER_ISSUER?: string;

  /** The JWKS of the member tokens' issuer (RS256, ES256, EdDSA), fetched over HTTP and cached. */
  @ValidateIf((config: ServiceConfig) => config.AUTH_MEMBER_JWKS_URL !== undefined || !!config.AUTH_MEMBER_ISSUER)
  @Matches(/^https?:\/\/\S+$/, {
    message: ({ value }) =>
      value === undefined
        ? "AUTH_MEMBER_JWKS_URL is required with AUTH_MEMBER_ISSUER: the JWKS URL of the member tokens' issuer"
        : 'AUTH_MEMBER_JWKS_URL must be an http:// or https:// URL',
  })
  AUTH_MEMBER_JWKS_URL?: string;

  /** Tokens whose `exp` lies further ahead than this are refused: no token lives for long. */
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: number = 12 * 3600;

  /** Tolerance for the clocks of the token's issuer and this service (exp, nbf, iat). */
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_SKEW_SECONDS: number = 30;

  /** Hours a published outbox row is kept (for inspection) before the hourly cleanup deletes it. */
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  OUTBOX_RETENTION_HOURS: number = 168;
}
