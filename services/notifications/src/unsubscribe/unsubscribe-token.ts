import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotificationsConfig } from '../notifications.config';

/** base64url(address) "." base64url(HMAC-SHA256). */
export const UNSUBSCRIBE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,700}\.[A-Za-z0-9_-]{43}$/;

/**
 * Signed unsubscribe links: the token names the address and carries an HMAC of it under
 * UNSUBSCRIBE_SECRET, so nobody can unsubscribe an address they were not sent a link for.
 * Tokens do not expire: a link in an old announcement keeps working.
 */
@Injectable()
export class UnsubscribeTokens {
  private readonly secret: string;
  private readonly baseUrl: string;

  constructor(config: NotificationsConfig) {
    this.secret = config.UNSUBSCRIBE_SECRET;
    this.baseUrl = config.NOTIFICATIONS_PUBLIC_URL;
  }

  sign(email: string): string {
    const address = email.toLowerCase();
    return `${Buffer.from(address, 'utf8').toString('base64url')}.${this.mac(address).toString('base64url')}`;
  }

  /** The address a genuine token was made for; null for anything forged, altered or malformed. */
  verify(token: string): string | null {
    if (!UNSUBSCRIBE_TOKEN_PATTERN.test(token)) return null;
    const [encoded, signature] = token.split('.');
    const address = Buffer.from(encoded, 'base64url').toString('utf8');
    if (Buffer.from(address, 'utf8').toString('base64url') !== encoded) return null;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(address);
    return given.length === expected.length && timingSafeEqual(given, expected) ? address : null;
  }

  url(email: string): string {
    return `${this.baseUrl}/unsubscribe?token=${this.sign(email)}`;
  }

  private mac(address: string): Buffer {
    return createHmac('sha256', this.secret).update(`valley-unsubscribe:v1:${address}`).digest();
  }
}
