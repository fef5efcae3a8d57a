import { compactDecrypt, CompactEncrypt } from 'jose';
import { hkdfSync } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** How long the results page's download stays valid (the file is the coordinator's to take, soon). */
export const REFUSED_ROWS_SECONDS = 2 * 60 * 60;

/** What the results page carries back: the refused rows' CSV, for whom, until when. */
export interface RefusedRowsDownload {
  /** The uploaded file's name: the download is `<name>-refused.csv`. */
  fileName: string;
  csv: string;
}

/**
 * The refused rows travel in the results page's download form, compressed and sealed (JWE dir /
 * A256GCM, a key of its own derived by HKDF from the session secret) for the coordinator who
 * uploaded them, for two hours. The portal keeps nothing between requests; sealing means the
 * download can only give back what this portal made from that person's upload (no one can make
 * it serve a file of their choosing), gzip keeps a big file's form field small.
 */
export class RefusedRowsSeal {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'valley-portal-import', 'refused-rows A256GCM', 32));
  }

  async seal(download: RefusedRowsDownload, subject: string, now = Date.now()): Promise<string> {
    const body = JSON.stringify({ sub: subject, exp: Math.floor(now / 1000) + REFUSED_ROWS_SECONDS, ...download });
    return new CompactEncrypt(gzipSync(Buffer.from(body, 'utf8')))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'valley-refused-rows+gzip' })
      .encrypt(this.key);
  }

  /** The download, or null when the value is not one sealed here for `subject`, or has expired. */
  async open(value: unknown, subject: string, now = Date.now()): Promise<RefusedRowsDownload | null> {
    if (typeof value !== 'string' || value.length === 0) return null;
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(value, this.key);
      if (protectedHeader.cty !== 'valley-refused-rows+gzip') return null;
      const body = JSON.parse(gunzipSync(plaintext, { maxOutputLength: 16 * 1024 * 1024 }).toString('utf8')) as {
        sub?: unknown;
        exp?: unknown;
        fileName?: unknown;
        csv?: unknown;
      };
      if (body.sub !== subject || typeof body.exp !== 'number' || body.exp * 1000 < now) return null;
      if (typeof body.fileName !== 'string' || typeof body.csv !== 'string') return null;
      return { fileName: body.fileName, csv: body.csv };
    } catch {
      return null;
    }
  }
}

/** A download name from the uploaded one: letters, digits, `-`, `_`, `.` only, `-refused.csv` at the end. */
export function refusedFileName(uploaded: string): string {
  const base = uploaded
    .replace(/\.csv$/i, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'import'}-refused.csv`;
}
