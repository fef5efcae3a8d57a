import { ApiProperty } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Which characters a text field takes. Postgres refuses U+0000 in text, and an unpaired surrogate
 * cannot be stored as UTF-8 (it would come back as U+FFFD): no field takes either, whatever its
 * rule (the validation pipe refuses them anywhere in a request, see findUnstorableText). Beyond
 * that, two rules:
 *
 * - one line (names, regions, search words): no control characters at all (C0, DEL, C1), no line
 *   or paragraph separators, no bidirectional overrides (they make a name read differently from
 *   what it is);
 * - several lines (descriptions, reasons, notes): the same, but line feeds, carriage returns and
 *   tabs are allowed.
 *
 * Everything else (letters of every script, marks, emoji, symbols, spaces) is stored and returned
 * exactly.
 */
const UNSTORABLE = /\u0000|\p{Cs}/u;
const NOT_ONE_LINE = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const NOT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * The same rules as JSON Schema patterns for the OpenAPI documents (no `u` flag there, so the
 * unpaired-surrogate part is said in words; see describeTextRules).
 */
export const ONE_LINE_PATTERN = '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$';
export const LINES_PATTERN =
  '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$';

const RULE_TEXT: Record<string, string> = {
  [ONE_LINE_PATTERN]:
    'Text on one line: no control characters, line breaks, bidirectional overrides or unpaired surrogates.',
  [LINES_PATTERN]:
    'Text of one or more lines: line feeds, carriage returns and tabs allowed; no other control characters, ' +
    'bidirectional overrides or unpaired surrogates.',
};

export function isOneLineText(value: string): boolean {
  return !NOT_ONE_LINE.test(value);
}

export function isLinesText(value: string): boolean {
  return !NOT_LINES.test(value);
}

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

function textRule(
  name: string,
  test: (value: string) => boolean,
  pattern: string,
  what: string,
  options?: ValidationOptions,
) {
  return applyDecorators(
    ValidateBy(
      {
        name,
        validator: {
          validate: (value: unknown) => typeof value !== 'string' || test(value),
          defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property ${what}`, options),
        },
      },
      options,
    ),
    ApiProperty({ pattern }),
  );
}

/** A text field on one line (see the rules above). Put it beside @IsString(). */
export function OneLineText(options?: ValidationOptions): PropertyDecorator {
  return textRule(
    'oneLineText',
    isOneLineText,
    ONE_LINE_PATTERN,
    'must be text on one line, without control characters or bidirectional overrides',
    options,
  );
}

/** A text field of one or more lines (see the rules above). Put it beside @IsString(). */
export function LinesText(options?: ValidationOptions): PropertyDecorator {
  return textRule(
    'linesText',
    isLinesText,
    LINES_PATTERN,
    'must be text without control characters other than line breaks and tabs, or bidirectional overrides',
    options,
  );
}

export interface UnstorableText {
  field: string;
  message: string;
}

/**
 * Every string (and every key) in a request's body, query or parameters that no field may hold:
 * U+0000 or an unpaired surrogate. Names each by its path (`contact.name`, `sectorCodes.0`).
 */
export function findUnstorableText(value: unknown, path = ''): UnstorableText[] {
  if (typeof value === 'string') {
    return isStorableText(value)
      ? []
      : [{ field: path || 'body', message: `${path || 'body'} must not contain U+0000 or unpaired surrogates` }];
  }
  if (value === null || typeof value !== 'object') return [];
  const found: UnstorableText[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) {
      found.push({ field: childPath, message: `a field name must not contain U+0000 or unpaired surrogates` });
      continue;
    }
    found.push(...findUnstorableText(child, childPath));
  }
  return found;
}

/** Adds the rule of each text field, in words, to its description in an OpenAPI document. */
export function describeTextRules(document: unknown): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const schema = node as { pattern?: unknown; description?: unknown };
    if (typeof schema.pattern === 'string' && RULE_TEXT[schema.pattern]) {
      const rule = RULE_TEXT[schema.pattern];
      const description = typeof schema.description === 'string' ? schema.description : '';
      if (!description.includes(rule)) schema.description = description ? `${description} ${rule}` : rule;
    }
    Object.values(node).forEach(visit);
  };
  visit(document);
}

/**
 * An email address a mail server takes: without spaces or invisible characters (Unicode format
 * characters such as U+200B, line and paragraph separators). validator.js's isEmail lets them
 * through in the local part; SMTP servers refuse the recipient (found by the input properties:
 * an application whose acknowledgement could never be sent).
 */
export function DeliverableEmail(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'deliverableEmail',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !/[\s\p{Cf}\p{Zl}\p{Zp}]/u.test(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must not contain spaces or invisible characters`,
          options,
        ),
      },
    },
    options,
  );
}
