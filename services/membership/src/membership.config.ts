import { ServiceConfig } from '@valley/platform';
import { IsInt, Max, Min } from 'class-validator';

/** Membership's configuration: the shared variables plus the outbox retention. PORT defaults to 3001. */
export class MembershipConfig extends ServiceConfig {
  override PORT: number = 3001;

  /** Hours a published outbox row is kept (for inspection) before the hourly cleanup deletes it. */
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  OUTBOX_RETENTION_HOURS: number = 168;
}
