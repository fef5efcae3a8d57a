import { ServiceConfig } from '@valley/platform';

/** Membership's configuration: the shared variables, nothing of its own yet. PORT defaults to 3001. */
export class MembershipConfig extends ServiceConfig {
  override PORT: number = 3001;
}
