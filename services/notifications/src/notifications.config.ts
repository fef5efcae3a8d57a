import { ContactLanguage, ContactLanguages } from '@valley/contracts';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { PersonalDataKeySetting, ServiceConfig } from '@valley/platform';

/** DEV ONLY: signs unsubscribe links on a developer's machine; refused when NODE_ENV=production. */
export const DEV_ONLY_UNSUBSCRIBE_SECRET = 'valley-dev-only-unsubscribe-secret';

export class NotificationsConfig extends ServiceConfig {
  override PORT: number = 3003;
  override METRICS_PORT: number = 9103;

  /** The personal-data master key (see PersonalDataKeySetting); DEV ONLY default when unset. */
  @PersonalDataKeySetting()
  PERSONAL_DATA_KEY?: string;

  /** Where mail goes out, e.g. smtp://user:pass@relay:587. DEV ONLY default: the local sink `npm start` runs. */
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL: string = 'smtp://127.0.0.1:1025';

  /** The From address of every message. */
  @IsString()
  @Matches(/^(.+<)?[^\s@<>]+@[^\s@<>]+>?$/, {
    message: 'MAIL_FROM must be an address, e.g. "Valley <no-reply@example.lt>"',
  })
  MAIL_FROM: string = 'Production Innovation Valley <no-reply@valley.localhost>';

  /**
   * The envelope sender (Return-Path) of every message, where mail systems send their bounce
   * reports; the bounce receiver should be this address's mail exchanger. Unset: MAIL_FROM's address.
   */
  @IsOptional()
  @IsEmail({}, { message: 'BOUNCE_ADDRESS must be an email address' })
  BOUNCE_ADDRESS?: string;

  /** The port of the bounce receiver, an SMTP server taking delivery status notifications (RFC 3464). Unset: none runs. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  BOUNCE_SMTP_PORT?: number;

  /** Interface the bounce receiver listens on. */
  @IsString()
  BOUNCE_SMTP_HOST: string = '0.0.0.0';

  /** The coordinator's mailbox: named in emails as the members' contact, and told about new applications. */
  @IsEmail()
  COORDINATOR_EMAIL: string = 'coordinator@valley.localhost';

  /** The language of the emails to the coordinator's mailbox. */
  @IsIn(ContactLanguages)
  COORDINATOR_LANGUAGE: ContactLanguage = 'lt';

  /** Tries per email before it is marked failed (an unreachable relay does not use them up). */
  @IsInt()
  @Min(1)
  MAIL_MAX_ATTEMPTS: number = 6;

  /** First retry delay in ms; doubles per try (with jitter), capped at 15 minutes. */
  @IsInt()
  @Min(10)
  MAIL_RETRY_DELAY_MS: number = 5_000;

  /** Messages per second handed to the relay, at most (announcements to many members included). */
  @IsInt()
  @Min(1)
  @Max(1_000)
  MAIL_RATE_PER_SECOND: number = 10;

  /** The public address of this service: unsubscribe links point here. DEV ONLY default. */
  @Matches(/^https?:\/\/[^\s]+[^/\s]$/, {
    message: 'NOTIFICATIONS_PUBLIC_URL must be an http(s):// URL without a trailing slash',
  })
  NOTIFICATIONS_PUBLIC_URL: string = 'http://127.0.0.1:3003';

  /**
   * The public address of the portal: the acknowledgement email links to the applicant's status
   * page there (`/applications/:id?token=…`). DEV ONLY default.
   */
  @Matches(/^https?:\/\/[^\s]+[^/\s]$/, { message: 'PORTAL_URL must be an http(s):// URL without a trailing slash' })
  PORTAL_URL: string = 'http://127.0.0.1:3000';

  /**
   * The link in the coordinator's new-application email: the portal's review page (a browser page
   * that signs the coordinator in, not an API URL that answers 401); `:applicationId` is replaced.
   * DEV ONLY default: PORTAL_URL's default + `/console/applications/:applicationId`.
   */
  @Matches(/^https?:\/\/\S*:applicationId\S*$/, {
    message: 'APPLICATION_REVIEW_URL must be an http(s):// URL containing :applicationId',
  })
  APPLICATION_REVIEW_URL: string = 'http://127.0.0.1:3000/console/applications/:applicationId';

  /** HMAC secret of unsubscribe links (≥ 32 characters). The DEV ONLY default is refused in production. */
  @IsString()
  @MinLength(32, { message: 'UNSUBSCRIBE_SECRET must be at least 32 characters' })
  @ValidateBy({
    name: 'notDevSecretInProduction',
    validator: {
      validate: (value: unknown) => process.env.NODE_ENV !== 'production' || value !== DEV_ONLY_UNSUBSCRIBE_SECRET,
      defaultMessage: () => 'UNSUBSCRIBE_SECRET must be set in production (the default is for development only)',
    },
  })
  UNSUBSCRIBE_SECRET: string = DEV_ONLY_UNSUBSCRIBE_SECRET;
}
