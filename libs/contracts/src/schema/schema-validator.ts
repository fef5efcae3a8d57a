import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { FormatDescriptions, FormatName, Formats } from './formats';

/** A JSON Schema compiled twice: to judge quickly (first error), and to word every reason. */
export interface SchemaValidator {
  check(value: unknown): boolean;
  /** Every reason the value fails, `path: what it must be`, joined with "; " (empty when it passes). */
  explain(value: unknown): string;
}

function newAjv(allErrors: boolean): Ajv {
  const ajv = new Ajv({ allErrors, strict: true, strictTypes: false });
  for (const [name, validate] of Object.entries(Formats)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

const quickAjv = newAjv(false);
const fullAjv = newAjv(true);

export function compileSchema(schema: object): SchemaValidator {
  const check = quickAjv.compile(schema);
  let full: ValidateFunction | undefined;
  return {
    check: (value) => check(value),
    explain: (value) => {
      full ??= fullAjv.compile(schema);
      return full(value) ? '' : describeSchemaErrors(full.errors ?? []);
    },
  };
}

export function describeSchemaErrors(errors: readonly ErrorObject[]): string {
  // A field that may be null fails both branches of its anyOf: its own rule says more than
  // "must be null" and "must match a schema in anyOf", which only stand when nothing else does.
  const own = errors.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'));
  const shown = own.length > 0 ? own : errors;
  const reasons = shown.map((e) => `${pathOf(e)}: ${messageOf(e)}`);
  return [...new Set(reasons)].join('; ');
}

function pathOf(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  return segments.join('.') || '(the whole value)';
}

function messageOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'type':
      return `must be ${article(String(p.type))}`;
    case 'format':
      return FormatDescriptions[p.format as FormatName] ?? `must be ${String(p.format)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return `must hold at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'minimum':
      return `must be ${String(p.limit)} or more`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    default:
      return error.message ?? error.keyword;
  }
}

function article(type: string): string {
  if (type === 'null') return 'null';
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}
