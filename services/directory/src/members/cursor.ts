import { createHash } from 'node:crypto';
import { DirectoryErrorCode, DirectoryException } from '../errors/directory.exception';
import { SortOrder } from '../common/sort-order';

/**
 * Keyset pagination cursors: the sort order, the last row's sort key and a fingerprint of the
 * query they belong to, base64url-encoded. Opaque to clients; a cursor from another query or
 * order, or one that was tampered with, is a 400 naming `cursor`.
 */
export interface Cursor {
  sort: SortOrder;
  /** The last row's key: [sortValue, memberId]. */
  key: [string | number, string];
}

export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeCursor(cursor: Cursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key[0], cursor.key[1], fingerprint])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeCursor(raw: string, sort: SortOrder, fingerprint: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString());
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 4) {
    const [cursorSort, value, id, print] = parsed as unknown[];
    if (cursorSort !== sort || print !== fingerprint) {
      throw invalid('cursor belongs to another query or sort order: start again without it');
    }
    const valueOk =
      sort === 'relevance'
        ? Number.isSafeInteger(value)
        : sort === 'name'
          ? typeof value === 'string'
          : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    if (valueOk && typeof id === 'string' && UUID.test(id)) return { sort, key: [value as string | number, id] };
  }
  throw invalid('cursor is not a cursor this API gave out');
}

function invalid(message: string): DirectoryException {
  return new DirectoryException(DirectoryErrorCode.INVALID_CURSOR, message, 'cursor');
}
