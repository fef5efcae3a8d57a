import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { isStorableText } from '@valley/platform';
import { IsBase64, IsInt, IsOptional, Max, Min } from 'class-validator';

/** Keyset pages: `limit` items after the opaque `cursor` of the previous page. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsBase64({ urlSafe: true }, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export interface Cursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Null when the cursor is not one we made (the caller answers 400): two strings, the second a row
 * id (a UUID), the first text Postgres can compare (no U+0000, no unpaired surrogate). Anything
 * else would reach the database as a parameter it refuses: a 500.
 */
export function decodeCursor(raw: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((v) => typeof v === 'string') &&
      isStorableText(value[0]) &&
      UUID.test(value[1])
    ) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  return null;
}
