import { createHash, randomBytes } from 'node:crypto';

/** An unguessable token for the applicant (256 bits); only its hash is stored. */
export function newApplicantToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashApplicantToken(token) };
}

export function hashApplicantToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
