import { PersonalParts } from '@valley/contracts';
import { compactDecrypt, CompactEncrypt, decodeProtectedHeader } from 'jose';
import { randomBytes } from 'node:crypto';

/**
 * The cryptography of crypto-shredding, in JOSE's standard formats (RFC 7516):
 * - an organisation's data key is 32 random bytes, kept and distributed only wrapped with the
 *   personal-data master key (A256KW, then A256GCM: a JWE whose content is the key);
 * - an event's personal fields are sealed with the data key (dir + A256GCM), the organisation's id
 *   in the protected (authenticated) header, so a sealed part cannot pass for another organisation's.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function newDataKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

export function wrapDataKey(dataKey: Uint8Array, masterKey: Uint8Array, organisationId: string): Promise<string> {
  return new CompactEncrypt(dataKey)
    .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM', kid: organisationId })
    .encrypt(masterKey);
}

export async function unwrapDataKey(
  wrapped: string,
  masterKey: Uint8Array,
  organisationId: string,
): Promise<Uint8Array> {
  const { plaintext, protectedHeader } = await compactDecrypt(wrapped, masterKey, {
    keyManagementAlgorithms: ['A256KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  if (protectedHeader.kid !== organisationId)
    throw new Error(`the key of ${protectedHeader.kid} is not ${organisationId}'s`);
  return plaintext;
}

export function sealPersonalParts(parts: PersonalParts, dataKey: Uint8Array, organisationId: string): Promise<string> {
  return new CompactEncrypt(encoder.encode(JSON.stringify(parts)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: organisationId })
    .encrypt(dataKey);
}

export async function openPersonalParts(
  sealed: string,
  dataKey: Uint8Array,
  organisationId: string,
): Promise<PersonalParts> {
  if (decodeProtectedHeader(sealed).kid !== organisationId) {
    throw new Error(
      `the personal data sealed for ${String(decodeProtectedHeader(sealed).kid)} is not ${organisationId}'s`,
    );
  }
  const { plaintext } = await compactDecrypt(sealed, dataKey, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return JSON.parse(decoder.decode(plaintext)) as PersonalParts;
}

/**
 * DEV ONLY: the master key when PERSONAL_DATA_KEY is unset outside production. Anyone can read it
 * here, so nothing sealed with it is protected.
 */
export const DEV_PERSONAL_DATA_KEY = 'ZGV2LW9ubHktcGVyc29uYWwtZGF0YS1tYXN0ZXIta2U';

/** PERSONAL_DATA_KEY as bytes: 32 of them, base64 or base64url. */
export function personalDataMasterKey(configured: string | undefined): Uint8Array {
  if (configured === undefined && process.env.NODE_ENV === 'production') {
    throw new Error('PERSONAL_DATA_KEY is required when NODE_ENV=production: `openssl rand -base64 32`');
  }
  const key = Buffer.from((configured ?? DEV_PERSONAL_DATA_KEY).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error(`PERSONAL_DATA_KEY must be 32 bytes, base64 (it is ${key.length})`);
  return new Uint8Array(key);
}
