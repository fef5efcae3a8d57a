import { EncryptJWT, errors, jwtDecrypt, JWTPayload } from 'jose';
import { hkdfSync } from 'node:crypto';

/** What a sealed value is for: a key per purpose, so that one can never be taken for the other. */
export type SealPurpose = 'session' | 'oidc-transaction';

/**
 * Encrypts and authenticates what the portal keeps in cookies: a JWE (`dir`, A256GCM: AES-GCM
 * with a 256-bit key derived from the secret by HKDF-SHA256, one key per purpose) whose claims
 * carry an expiry and the purpose as audience. A cookie changed by one bit, made with another
 * secret, for another purpose, or expired opens as null. The browser sees only ciphertext: the
 * access and refresh tokens inside never reach page scripts (HttpOnly) nor the person's eyes.
 */
export class SessionSealer {
  private readonly keys: Record<SealPurpose, Uint8Array>;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the session secret must be at least 32 characters');
    const derive = (purpose: SealPurpose) =>
      new Uint8Array(hkdfSync('sha256', secret, 'valley-portal-cookies', `${purpose} A256GCM`, 32));
    this.keys = { session: derive('session'), 'oidc-transaction': derive('oidc-transaction') };
  }

  /** `payload` sealed until `expiresAt` (epoch seconds). */
  seal(purpose: SealPurpose, payload: object, expiresAt: number): Promise<string> {
    return new EncryptJWT({ ...(payload as JWTPayload) })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .setAudience(`valley-portal:${purpose}`)
      .encrypt(this.keys[purpose]);
  }

  /** The payload, or null when the value is not one this portal sealed for `purpose`, or has expired. */
  async open(purpose: SealPurpose, value: unknown): Promise<Record<string, unknown> | null> {
    if (typeof value !== 'string' || value.length === 0 || value.length > 8192) return null;
    try {
      const { payload } = await jwtDecrypt(value, this.keys[purpose], {
        audience: `valley-portal:${purpose}`,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      const { exp: _exp, iat: _iat, aud: _aud, ...rest } = payload;
      return rest;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }
}
