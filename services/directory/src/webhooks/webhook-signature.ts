import { createHmac } from 'node:crypto';

/** A signing secret as Standard Webhooks writes it: `whsec_` and the key in base64 (24 to 64 bytes). */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/**
 * The `webhook-signature` header of Standard Webhooks (standardwebhooks.com): `v1,` and the
 * base64 HMAC-SHA256, keyed with the secret's bytes, of `${id}.${timestamp}.${body}`; the
 * timestamp is in seconds, sent as `webhook-timestamp`, and the id as `webhook-id`.
 */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}
