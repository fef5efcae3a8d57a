import { PersonalDataKeySetting, ServiceConfig } from '@valley/platform';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Membership's configuration: the shared variables, and how it signs members in. PORT defaults to 3001. */
export class MembershipConfig extends ServiceConfig {
  override PORT: number = 3001;
  override METRICS_PORT: number = 9101;

  /** The personal-data master key (see PersonalDataKeySetting); DEV ONLY default when unset. */
  @PersonalDataKeySetting()
  PERSONAL_DATA_KEY?: string;

  /**
   * The `iss` of member access tokens: membership's public URL (its keys are at
   * `<issuer>/.well-known/jwks.json`). The other services name it in AUTH_MEMBER_ISSUER. DEV ONLY default.
   */
  @Matches(/^https?:\/\/[^\s]+[^/\s]$/, {
    message: 'MEMBER_TOKEN_ISSUER must be an http(s):// URL without a trailing slash',
  })
  MEMBER_TOKEN_ISSUER: string = 'http://127.0.0.1:3001';

  /**
   * The private key member access tokens are signed with (PKCS#8 PEM: EC P-256 → ES256, Ed25519 →
   * EdDSA, RSA → RS256). Required when NODE_ENV=production; elsewhere an unset key means a DEV ONLY
   * key made at start (tokens then die with the process, and instances do not share them).
   */
  @ValidateIf((config: MembershipConfig) => process.env.NODE_ENV === 'production' || !!config.MEMBER_TOKEN_PRIVATE_KEY)
  @IsString()
  @IsNotEmpty({ message: 'MEMBER_TOKEN_PRIVATE_KEY is required when NODE_ENV=production (a PKCS#8 PEM key)' })
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'MEMBER_TOKEN_PRIVATE_KEY must be a PKCS#8 PEM private key' })
  MEMBER_TOKEN_PRIVATE_KEY?: string;

  /** The `aud` of member access tokens; AUTH_AUDIENCE when unset, else `valley-services`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  MEMBER_TOKEN_AUDIENCE?: string;

  /** How long a member access token lives; the portal renews it while the session lasts. */
  @IsInt()
  @Min(60)
  @Max(3600)
  MEMBER_ACCESS_TOKEN_SECONDS: number = 600;

  /** How long a member stays signed in without asking for a new link. */
  @IsInt()
  @Min(600)
  @Max(30 * 24 * 3600)
  MEMBER_SESSION_SECONDS: number = 8 * 3600;
}
