import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationsConfig } from '../notifications.config';
import { TemplateName } from '../templates';
import { ClaimedDelivery } from './delivery-outcomes.service';
import { SignInLink } from './sign-in-link.entity';

/**
 * The portal's page behind a member's sign-in link, under PORTAL_URL: it takes the token from
 * `?token=` and exchanges it with membership (the portal builds that page in a later issue).
 */
export const SIGN_IN_LINK_PATH = '/sign-in/link';

/** The template whose deliveries carry a sign-in link (kept in `sign_in_links`, never in the log). */
export const SIGN_IN_TEMPLATE = 'member-sign-in' satisfies TemplateName;

/** The link of one sign-in token. */
export function signInUrl(portalUrl: string, token: string): string {
  return `${portalUrl}${SIGN_IN_LINK_PATH}?token=${encodeURIComponent(token)}`;
}

export type SignInLinkState =
  | { url: string }
  | { expired: true; expiresAt: Date }
  /** No token for this delivery: it went out already, or was erased (a retry of a failed one). */
  | { missing: true };

/** The sign-in link of a `member-sign-in` delivery, read from `sign_in_links` when the email is rendered. */
@Injectable()
export class SignInLinks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: NotificationsConfig,
  ) {}

  async forDelivery(delivery: ClaimedDelivery, now = Date.now()): Promise<SignInLinkState> {
    const link = await this.dataSource.getRepository(SignInLink).findOneBy({ deliveryId: delivery.id });
    if (!link) return { missing: true };
    if (link.expiresAt.getTime() <= now) return { expired: true, expiresAt: link.expiresAt };
    return { url: signInUrl(this.config.PORTAL_URL, link.signInToken) };
  }
}
