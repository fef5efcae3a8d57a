import { createHash, randomBytes } from 'node:crypto';

/**
 * An unguessable token (256 bits, base64url: 43 characters) for an applicant's status link or a
 * member's sign-in link; only its hash is stored.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

/** SHA-256, hex: enough for 256 random bits (no dictionary to guess from, so no slow hash needed). */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
