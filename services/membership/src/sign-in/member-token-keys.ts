import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

export interface MemberTokenKeys {
  privateKey: KeyObject;
  /** ES256, EdDSA or RS256, after the key's type. */
  algorithm: 'ES256' | 'EdDSA' | 'RS256';
  kid: string;
  /** The public half, as `/.well-known/jwks.json` serves it. */
  jwks: { keys: JWK[] };
  /** Made at start because no key was configured: DEV ONLY. */
  ephemeral: boolean;
}

/**
 * The key member tokens are signed with: MEMBER_TOKEN_PRIVATE_KEY, or (outside production, which
 * config validation enforces) a DEV ONLY P-256 key made now. Synchronous, so that the app module
 * can hand the public keys to the token verifier when it is built.
 */
export function memberTokenKeys(privateKeyPem: string | undefined): MemberTokenKeys {
  const privateKey = privateKeyPem
    ? createPrivateKey(privateKeyPem)
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const algorithm = algorithmOf(privateKey);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = createHash('sha256').update(JSON.stringify(publicJwk)).digest('base64url').slice(0, 16);
  return {
    privateKey,
    algorithm,
    kid,
    jwks: { keys: [{ ...publicJwk, kid, alg: algorithm, use: 'sig' }] },
    ephemeral: !privateKeyPem,
  };
}

function algorithmOf(key: KeyObject): MemberTokenKeys['algorithm'] {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'RS256';
  throw new Error('MEMBER_TOKEN_PRIVATE_KEY must be an EC P-256, Ed25519 or RSA (2048 bits or more) key');
}
