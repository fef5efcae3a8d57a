import { IsEmail, IsInt, IsString, Matches, Min } from 'class-validator';
import { ServiceConfig } from '@valley/platform';

export class NotificationsConfig extends ServiceConfig {
  override PORT: number = 3003;

  /** Where mail goes out, e.g. smtp://user:pass@relay:587. DEV ONLY default: the local sink `npm start` runs. */
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL: string = 'smtp://127.0.0.1:1025';

  /** The From address of every message. */
  @IsString()
  @Matches(/^(.+<)?[^\s@<>]+@[^\s@<>]+>?$/, {
    message: 'MAIL_FROM must be an address, e.g. "Valley <no-reply@example.lt>"',
  })
  MAIL_FROM: string = 'Production Innovation Valley <no-reply@valley.localhost>';

  /** The coordinator's mailbox, named in emails as the contact for members. */
  @IsEmail()
  COORDINATOR_EMAIL: string = 'coordinator@valley.localhost';

  /** Tries per email before it is marked failed. */
  @IsInt()
  @Min(1)
  MAIL_MAX_ATTEMPTS: number = 6;
}
