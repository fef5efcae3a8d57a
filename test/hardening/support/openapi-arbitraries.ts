import fc from 'fast-check';

/**
 * fast-check arbitraries for HTTP requests, derived from a service's own OpenAPI document (whose
 * schemas come from its DTOs): bodies, query strings, path parameters and headers, each mixing
 * values the schema allows with hostile ones (control characters, lone surrogates, bidirectional
 * overrides, very long strings, numbers out of range, wrong types, prototype keys, deep nesting,
 * malformed percent-encodings). Knows nothing about Valley's endpoints: what a schema cannot say
 * (a valid company code, an id that exists) comes in as hints.
 */

// ---------------------------------------------------------------------------------------------
// The part of OpenAPI 3 the generator reads

export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  nullable?: boolean;
  allOf?: SchemaObject[];
  default?: unknown;
  example?: unknown;
  description?: string;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

export interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaObject }> };
  security?: Record<string, unknown>[];
  description?: string;
  summary?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface OperationInfo {
  /** `GET /members/{id}` */
  key: string;
  method: string;
  path: string;
  operation: OperationObject;
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

/**
 * Every operation of a document, but the service's own plumbing (health, and the documents at /docs
 * and /asyncapi, which take no input) unless asked.
 */
export function listOperations(
  doc: OpenApiDocument,
  exclude: RegExp = /^\/(health|docs|asyncapi|asyncapi\.html)(\/|$)/,
): OperationInfo[] {
  return Object.entries(doc.paths)
    .filter(([path]) => !exclude.test(path))
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          operation,
        })),
    );
}

/**
 * A schema with its `$ref` followed and a lone `allOf` merged in. Nest's swagger writes
 * `allOf: [{ $ref: Object }]` for a property whose type it could not infer: that resolves to {}.
 */
export function resolveSchema(doc: OpenApiDocument, schema: SchemaObject | undefined, seen = 0): SchemaObject {
  if (!schema || seen > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    const target = doc.components?.schemas?.[name];
    const { $ref: _ref, ...rest } = schema;
    return { ...resolveSchema(doc, target, seen + 1), ...rest };
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return allOf.reduce<SchemaObject>((merged, part) => ({ ...resolveSchema(doc, part, seen + 1), ...merged }), rest);
  }
  return schema;
}

/** The schema of the property at `path` (`['contact', 'email']`) inside an object schema. */
export function schemaAt(doc: OpenApiDocument, schema: SchemaObject | undefined, path: string[]): SchemaObject {
  return path.reduce<SchemaObject>(
    (current, name) => resolveSchema(doc, current.properties?.[name]),
    resolveSchema(doc, schema),
  );
}

// ---------------------------------------------------------------------------------------------
// Values computed when a request is sent (an id that exists then, the current version)

/** A value known only when the request is sent; `describe` is what a failure report shows. */
export class Deferred<C = unknown> {
  constructor(
    readonly describe: string,
    readonly resolve: (context: C) => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return `<${this.describe}>`;
  }
}

export function deferred<C>(describe: string, resolve: (context: C) => unknown): Deferred<C> {
  return new Deferred(describe, resolve);
}

/** The value with every Deferred in it resolved (objects keep their own `__proto__` keys). */
export function materialize<C>(value: unknown, context: C): unknown {
  if (value instanceof Deferred) return materialize(value.resolve(context), context);
  if (Array.isArray(value)) return value.map((v) => materialize(v, context));
  if (value !== null && typeof value === 'object') {
    return ownObject(Object.entries(value).map(([k, v]) => [k, materialize(v, context)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Characters that break things, by kind. */
export const HOSTILE_CHARACTERS = {
  nul: ['\u0000'],
  c0: ['\u0001', '\u0007', '\b', '\t', '\n', '\u000b', '\f', '\r', '\u001b', '\u001f'],
  del: ['\u007f'],
  c1: ['\u0080', '\u0085', '\u008d', '\u009b', '\u009f'],
  loneSurrogates: ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'],
  bidi: ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'],
  separators: ['\u2028', '\u2029'],
  /** Allowed by every rule, and easy to lose on the way: they must come back as sent. */
  tricky: [
    '\u00a0',
    '\u00ad',
    '\u200b',
    '\u200d',
    '\u200e',
    '\u200f',
    '\u061c',
    '\u3000',
    '\ufeff',
    '\ufffd',
    '\ufffe',
    '\uffff',
    'e\u0301',
    '\u0130',
    '\u1e9e',
    'ß',
    'ﬁ',
    '👩‍🔬',
    '🇱🇹',
    '\u{10ffff}',
    '\u{1f600}',
  ],
};

const HOSTILE_ATOMS = Object.values(HOSTILE_CHARACTERS).flat();

/** Text of several scripts and shapes that every text field should take as it is. */
const WORDS = [
  'UAB',
  'Žąsų',
  'Ūkis',
  'Šiaulių',
  'Marijampolė',
  'ąčęėįšųūž',
  '株式会社',
  'Ölçek',
  'شركة',
  'חברה',
  'Ἀθῆναι',
  'x',
  '0',
  ' ',
  '  ',
  '"',
  "'",
  '\\',
  '<script>alert(1)</script>',
  "'; DROP TABLE members;--",
  '{{constructor}}',
  '${process.exit()}',
  '%00',
  '%s%n',
  '../../etc/passwd',
  '=1+2',
  '@SUM(A1)',
  '-1',
  '+1',
  'null',
  'undefined',
  'NaN',
  '__proto__',
];

/** Strings that look like numbers, or almost. */
export const NUMBERISH = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '0x10',
  '0b1',
  '1_000',
  ' 1',
  '1 ',
  '1.5',
  '01',
  '+1',
  '',
  '9007199254740993',
  '99999999999999999999',
  '-2147483649',
  'true',
  '[]',
  '{}',
];

const fragment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_ATOMS), weight: 3 },
  { arbitrary: fc.constantFrom(...WORDS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
);

/** Text made of hostile characters among ordinary words. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fragment, { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

/** A fragment repeated to `length` UTF-16 units (or a little more). */
function longText(length: number): fc.Arbitrary<string> {
  return fragment
    .filter((f) => f.length > 0)
    .map((unit) => unit.repeat(Math.ceil(length / unit.length)).slice(0, Math.max(length, unit.length)));
}

/** A hostile string; around `maxLength` (at it, one over) and up to about 100 kB when given one. */
export function hostileString(maxLength?: number): fc.Arbitrary<string> {
  const lengths = [1_000, 10_000, 100_000, ...(maxLength !== undefined ? [maxLength, maxLength + 1] : [])];
  return fc.oneof(
    { arbitrary: hostileText, weight: 6 },
    { arbitrary: fc.constantFrom(...NUMBERISH), weight: 1 },
    { arbitrary: fc.constantFrom(...lengths).chain(longText), weight: 1 },
  );
}

/**
 * A valid value with one hostile character put in at its start, its end or inside: the closest
 * thing to valid that a field's rule must still refuse (or store as it is).
 */
export function spiked(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.constantFrom(...HOSTILE_ATOMS), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([value, atom, where]) => {
      if (typeof value !== 'string') return value;
      const at = Math.round(where * value.length);
      return `${value.slice(0, at)}${atom}${value.slice(at)}`;
    });
}

/** Keys an object should never be fooled by. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** An object with exactly these own keys (a `__proto__` key stays a key, as JSON.parse makes it). */
export function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** `[[[…value…]]]` or `{"a":{"a":…}}`, `depth` levels deep. */
export function nested(depth: number, value: unknown, asArrays: boolean): unknown {
  let result = value;
  for (let i = 0; i < depth; i++) result = asArrays ? [result] : { a: result };
  return result;
}

/** Values of the wrong type or shape for any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -0, [], {}, [null], ['x'], [[]], [{}]),
  fc.constantFrom<unknown>(
    ownObject([['__proto__', { polluted: true }]]),
    ownObject([['constructor', { prototype: { polluted: true } }]]),
    ownObject([['constructor', 'x']]),
  ),
  hostileText.map((s) => [s]),
  fc.integer({ min: 2, max: 30 }).chain((depth) => fc.boolean().map((arrays) => nested(depth, 'x', arrays))),
);

// ---------------------------------------------------------------------------------------------
// Values from a schema

export interface Hints {
  /**
   * Valid values the schema cannot describe, by property path (`contact.email`), by property
   * name (`email`), or for parameters by `<in>:<name>` (`path:id`, `header:If-Match`).
   */
  valid?: Record<string, fc.Arbitrary<unknown>>;
  /** Invalid values only the caller knows how to make (a tampered cursor), keyed the same way. */
  invalid?: Record<string, fc.Arbitrary<unknown>>;
}

interface Where {
  doc: OpenApiDocument;
  hints: Hints;
  /** `contact.email`; for parameters `path:id`, `query:limit`, `header:If-Match`. */
  path: string;
  /** The last property name or the parameter name. */
  name: string;
}

function hintFor(where: Where, kind: 'valid' | 'invalid' = 'valid'): fc.Arbitrary<unknown> | undefined {
  const hints = where.hints[kind] ?? {};
  return hints[where.path] ?? hints[where.name];
}

const day = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Dates of the right shape that are no dates, or of another shape. */
const badDay = fc.constantFrom(
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '0000-01-01',
  '9999-12-31',
  '-271821-04-20',
  '275760-09-13',
  '2024-1-1',
  '20240101',
  '2024-01-01T00:00:00Z',
  '2024-01-01T25:00',
  '01/02/2024',
  'today',
);

const NICE_TEXT = fc.oneof(
  fc.constantFrom(
    'UAB Šiaulių Metalas',
    'Kauno apskritis',
    'Pažangios Inovacijos',
    'Žąsų Ūkis 🐝',
    'e\u0301 ﬁ 株式会社',
  ),
  fc
    .array(fc.constantFrom(...WORDS.slice(0, 11), ...HOSTILE_CHARACTERS.tricky), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join(' ').trim() || 'x'),
);

/** A value the schema allows (as far as it says; hints say the rest). */
export function validValue(schemaIn: SchemaObject | undefined, where: Where): fc.Arbitrary<unknown> {
  const hint = hintFor(where);
  if (hint) return hint;
  const schema = resolveSchema(where.doc, schemaIn);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const type = schema.type ?? (schema.properties ? 'object' : schema.minimum !== undefined ? 'number' : undefined);
  switch (type) {
    case 'string':
      return validString(schema);
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.uniqueArray(validValue(schema.items, itemsOf(where)), {
        minLength: 1,
        maxLength: 3,
        selector: (v) => JSON.stringify(v),
      });
    case 'object':
      return validObject(schema, where);
    default:
      return NICE_TEXT;
  }
}

/** The `where` of an array's items: hints name them `sectorCodes[]`. */
function itemsOf(where: Where): Where {
  return { ...where, path: `${where.path}[]`, name: `${where.name}[]` };
}

function validString(schema: SchemaObject): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  if (schema.format === 'date') return day;
  if (schema.format === 'date-time') return day.map((d) => `${d}T12:00:00.000Z`);
  if (typeof schema.example === 'string' && !schema.pattern) return fc.constant(schema.example);
  const max = schema.maxLength ?? 200;
  const min = Math.max(schema.minLength ?? 1, 1);
  // A text rule (`^[^…]*$`, what may not appear) leaves ordinary text; any other pattern is
  // generated from.
  if (schema.pattern && !schema.pattern.startsWith('^[^')) {
    return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter((s) => s.length >= min && s.length <= max);
  }
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  const fitting = (s: string) => s.length >= min && s.length <= max && (!pattern || pattern.test(s));
  // Cut at `max` UTF-16 units, never between the two halves of a character (🐝): half of one is
  // an unpaired surrogate, which the services rightly refuse.
  const atTheLimit = NICE_TEXT.map((s) =>
    s
      .repeat(Math.ceil(max / Math.max(s.length, 1)))
      .slice(0, max)
      .replace(/[\uD800-\uDBFF]$/, '')
      .trim(),
  );
  return fc.oneof({ arbitrary: NICE_TEXT, weight: 4 }, { arbitrary: atTheLimit, weight: 1 }).filter(fitting);
}

function validObject(schema: SchemaObject, where: Where): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  return fc
    .tuple(
      ...properties.map(([name, property]) =>
        fc.tuple(
          fc.constant(name),
          required.has(name) ? fc.constant(true) : fc.boolean(),
          validValue(property, { ...where, path: where.path ? `${where.path}.${name}` : name, name }),
        ),
      ),
    )
    .map((entries) => ownObject(entries.filter(([, present]) => present).map(([name, , value]) => [name, value])));
}

/** A value the schema does not allow: hostile text, wrong types, out of range, too long. */
export function invalidValue(schemaIn: SchemaObject | undefined, where: Where): fc.Arbitrary<unknown> {
  const schema = resolveSchema(where.doc, schemaIn);
  const choices: fc.WeightedArbitrary<unknown>[] = [
    { arbitrary: hostileString(schema.maxLength), weight: 2 },
    { arbitrary: wrongValue, weight: 1 },
  ];
  const hint = hintFor(where, 'invalid');
  if (hint) choices.push({ arbitrary: hint, weight: 4 });
  // A valid value with one hostile character in it: what a field's own rule must decide.
  if (schema.type === 'string' && !schema.enum)
    choices.push({ arbitrary: spiked(validValue(schema, where)), weight: 4 });
  const add = (arbitrary: fc.Arbitrary<unknown>) => choices.push({ arbitrary, weight: 1 });
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.type === 'integer') {
    add(
      fc.constantFrom<unknown>(
        ...[schema.minimum, schema.maximum].flatMap((limit) => (limit === undefined ? [] : [limit - 1, limit + 1])),
        0.5,
        -1,
        2 ** 31,
        Number.MAX_SAFE_INTEGER + 2,
        ...NUMBERISH,
      ),
    );
  }
  if (schema.format === 'date') add(badDay);
  if (schema.enum) {
    const values = schema.enum.map(String);
    add(
      fc.constantFrom(...values).chain((v) => fc.constantFrom(v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v},${v}`, '')),
    );
  }
  if (schema.type === 'array') {
    add(fc.array(invalidValue(schema.items, itemsOf(where)), { minLength: 1, maxLength: 3 }));
    add(fc.constant([]));
    add(validValue(schema.items, itemsOf(where)).map((v) => [v, v]));
    add(validValue(schema.items, itemsOf(where)).map((v) => Array.from({ length: 25 }, () => v)));
  }
  if (schema.type === 'object' || schema.properties) add(mutatedObject(schema, where));
  return fc.oneof(...choices);
}

/** Mostly what the schema allows, often not. */
export function anyValue(schema: SchemaObject | undefined, where: Where): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: validValue(schema, where), weight: 3 },
    { arbitrary: invalidValue(schema, where), weight: 2 },
  );
}

const unknownKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, 'id', 'status', 'version', 'isCoordinator', ''),
  hostileText,
);

/**
 * An object of the schema's shape, changed: each known property kept valid, dropped (required or
 * not), or made invalid; sometimes unknown and prototype keys added.
 */
export function mutatedObject(schemaIn: SchemaObject, where: Where): fc.Arbitrary<Record<string, unknown>> {
  const schema = resolveSchema(where.doc, schemaIn);
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const property = ([name, propertySchema]: [string, SchemaObject]) => {
    const at = { ...where, path: where.path ? `${where.path}.${name}` : name, name };
    return fc.oneof(
      { arbitrary: validValue(propertySchema, at).map((v) => ({ name, value: v as unknown })), weight: 6 },
      { arbitrary: invalidValue(propertySchema, at).map((v) => ({ name, value: v })), weight: 2 },
      { arbitrary: fc.constant({ name, value: undefined as unknown }), weight: required.has(name) ? 1 : 3 },
    );
  };
  return fc
    .tuple(
      fc.tuple(...properties.map(property)),
      fc.array(fc.tuple(unknownKey, fc.oneof(hostileText, wrongValue)), { maxLength: 2 }),
      fc.nat({ max: 9 }),
    )
    .map(([known, extra, unknownOdds]) =>
      ownObject([
        ...known.filter((k) => k.value !== undefined).map((k): [string, unknown] => [k.name, k.value]),
        // Unknown keys in one object of three: the others test the known ones past the whitelist.
        ...(unknownOdds < 3 ? extra : []),
      ]),
    );
}

/** The paths of every property of an object schema, nested objects' properties included. */
export function propertyPaths(
  doc: OpenApiDocument,
  schemaIn: SchemaObject | undefined,
  prefix: string[] = [],
): string[][] {
  const properties = resolveSchema(doc, schemaIn).properties ?? {};
  return Object.entries(properties).flatMap(([name, property]) => {
    const here = [...prefix, name];
    const nestedObject = resolveSchema(doc, property).properties !== undefined && prefix.length < 3;
    return nestedObject ? [here, ...propertyPaths(doc, property, here)] : [here];
  });
}

/** A copy of `object` with the value at `path` replaced (own keys only, `__proto__` safe). */
export function withValueAt(object: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const entries = object !== null && typeof object === 'object' ? Object.entries(object) : [];
  const [head, ...rest] = path;
  const current = entries.find(([key]) => key === head)?.[1];
  return ownObject([...entries.filter(([key]) => key !== head), [head, withValueAt(current, rest, value)]]);
}

/**
 * A valid object with exactly one property made invalid, chosen among all of them, nested ones
 * included (`contact.email`): the request that tests one field's rule alone.
 */
export function singlyMutated(schemaIn: SchemaObject | undefined, where: Where): fc.Arbitrary<unknown> {
  const schema = resolveSchema(where.doc, schemaIn);
  const paths = propertyPaths(where.doc, schema);
  if (paths.length === 0) return invalidValue(schema, where);
  return validObject(schema, where).chain((object) => {
    // Only properties whose parent object is there: a value inside a missing contact tests nothing.
    const reachable = paths.filter(
      (path) => path.length === 1 || at(object, path.slice(0, -1).join('.')) !== undefined,
    );
    return fc.constantFrom(...reachable).chain((path) => {
      let property: SchemaObject | undefined = schema;
      for (const name of path) property = resolveSchema(where.doc, property).properties?.[name];
      const place = { ...where, path: path.join('.'), name: path[path.length - 1] };
      return invalidValue(property, place).map((value) => withValueAt(object, path, value));
    });
  });
}

/** A request body for a schema: mostly its shape (valid or mutated), sometimes not an object at all. */
export function bodyArbitrary(doc: OpenApiDocument, schema: SchemaObject, hints: Hints): fc.Arbitrary<unknown> {
  const where: Where = { doc, hints, path: '', name: '' };
  return fc.oneof(
    { arbitrary: validValue(schema, where), weight: 3 },
    { arbitrary: singlyMutated(schema, where), weight: 3 },
    { arbitrary: mutatedObject(schema, where), weight: 3 },
    { arbitrary: wrongValue, weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------
// Query strings, paths, headers

/** One `key=value` of a query string; `raw` parts are written as they are (malformed on purpose). */
export interface QueryPart {
  key: string;
  value?: unknown;
  raw?: boolean;
}

/** Percent-encodings that decoders trip over. */
export const MALFORMED_ESCAPES = ['%', '%zz', '%C0%80', '%ED%A0%80', '%FF', '%E2%80', '%%00', '%2'];

/** Percent-encodes every UTF-16 unit as (W)UTF-8: a lone surrogate becomes its 3-byte form. */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    let codePoint = unit;
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    const char = String.fromCodePoint(codePoint);
    if (/^[A-Za-z0-9\-._~]$/.test(char)) {
      out += char;
      continue;
    }
    const bytes =
      codePoint < 0x80
        ? [codePoint]
        : codePoint < 0x800
          ? [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)]
          : codePoint < 0x10000
            ? [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)]
            : [
                0xf0 | (codePoint >> 18),
                0x80 | ((codePoint >> 12) & 0x3f),
                0x80 | ((codePoint >> 6) & 0x3f),
                0x80 | (codePoint & 0x3f),
              ];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** A query or path value as text: strings as they are, other JSON values as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

export function encodeQuery(parts: { key: string; value?: unknown; raw?: boolean }[]): string {
  if (parts.length === 0) return '';
  return `?${parts
    .map(({ key, value, raw }) => {
      if (raw) return `${key}${value === undefined ? '' : `=${value}`}`;
      const encodedKey = percentEncode(key);
      return value === undefined ? encodedKey : `${encodedKey}=${percentEncode(asText(value))}`;
    })
    .join('&')}`;
}

function queryValue(parameter: ParameterObject, where: Where): fc.Arbitrary<unknown> {
  const schema = resolveSchema(where.doc, parameter.schema);
  const single = schema.type === 'array' ? resolveSchema(where.doc, schema.items) : schema;
  return fc.oneof(
    { arbitrary: validValue(single, where), weight: 4 },
    { arbitrary: invalidValue(single, where).filter((v) => typeof v !== 'object' || v === null), weight: 2 },
    { arbitrary: hostileString(single.maxLength), weight: 1 },
  );
}

/**
 * Query parts for an operation's query parameters: each one absent, once or repeated, with valid
 * or hostile values; the required ones mostly present; sometimes unknown, prototype or bracketed
 * keys, a key without a value, or a malformed escape.
 */
export function queryArbitrary(
  doc: OpenApiDocument,
  parameters: ParameterObject[],
  hints: Hints,
): fc.Arbitrary<QueryPart[]> {
  const query = parameters.filter((p) => p.in === 'query');
  const perParameter = query.map((parameter) => {
    const where: Where = { doc, hints, path: `query:${parameter.name}`, name: parameter.name };
    const value = queryValue(parameter, where);
    return fc.oneof(
      { arbitrary: fc.constant<QueryPart[]>([]), weight: parameter.required ? 1 : 5 },
      { arbitrary: value.map((v): QueryPart[] => [{ key: parameter.name, value: v }]), weight: 8 },
      {
        arbitrary: fc
          .array(value, { minLength: 2, maxLength: 3 })
          .map((vs) => vs.map((v): QueryPart => ({ key: parameter.name, value: v }))),
        weight: 1,
      },
      {
        arbitrary: fc
          .constantFrom(`${parameter.name}[]`, `${parameter.name}[a]`, `${parameter.name}[__proto__]`)
          .chain((key) => value.map((v): QueryPart[] => [{ key, value: v }])),
        weight: 1,
      },
      { arbitrary: fc.constant<QueryPart[]>([{ key: parameter.name }]), weight: 1 },
      {
        arbitrary: fc
          .constantFrom(...MALFORMED_ESCAPES)
          .map((escape): QueryPart[] => [{ key: parameter.name, value: `a${escape}b`, raw: true }]),
        weight: 1,
      },
    );
  });
  const extra = fc.oneof(
    fc.constantFrom(...PROTOTYPE_KEYS, '__proto__[polluted]', 'constructor[prototype][polluted]', 'a[b][c]', 'x'),
    hostileText,
  );
  return fc
    .tuple(
      fc.tuple(...perParameter),
      fc.array(
        fc.tuple(extra, hostileText).map(([key, value]): QueryPart => ({ key, value })),
        { maxLength: 2 },
      ),
      fc.nat({ max: 9 }),
    )
    .map(([known, unknown, odds]) => [...known.flat(), ...(odds < 2 ? unknown : [])]);
}

/** A path segment: as percent-encoded text, or raw (malformed on purpose). */
export interface PathValue {
  value: unknown;
  raw?: boolean;
}

const RAW_SEGMENTS = [...MALFORMED_ESCAPES, '..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '%20', '+', ';x=1', '*'];

/** Values for each path parameter of an operation: valid (hints, the schema), hostile, malformed. */
export function pathArbitrary(
  doc: OpenApiDocument,
  parameters: ParameterObject[],
  hints: Hints,
): fc.Arbitrary<Record<string, PathValue>> {
  const inPath = parameters.filter((p) => p.in === 'path');
  return fc
    .tuple(
      ...inPath.map((parameter) => {
        const where: Where = { doc, hints, path: `path:${parameter.name}`, name: parameter.name };
        const schema = resolveSchema(doc, parameter.schema);
        return fc
          .oneof(
            { arbitrary: validValue(schema, where).map((value): PathValue => ({ value })), weight: 8 },
            {
              arbitrary: hostileString(schema.maxLength)
                .filter((s) => s.length <= 10_000)
                .map((value): PathValue => ({ value })),
              weight: 3,
            },
            {
              arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((value): PathValue => ({ value, raw: true })),
              weight: 1,
            },
            {
              arbitrary: fc.constantFrom(2_000, 20_000).map((n): PathValue => ({ value: 'a'.repeat(n), raw: true })),
              weight: 1,
            },
          )
          .map((value): [string, PathValue] => [parameter.name, value]);
      }),
    )
    .map((entries) => Object.fromEntries(entries));
}

export function fillPath(template: string, values: Record<string, { value: unknown; raw?: boolean }>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const given = values[name];
    if (!given) return '';
    return given.raw ? String(given.value) : percentEncode(asText(given.value));
  });
}

/** Whether a path or query holds a percent sign that does not start a valid UTF-8 escape. */
export function hasMalformedEscape(text: string): boolean {
  try {
    decodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
}

/** Header values a client can send (latin-1 without controls other than tab). */
export const headerText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.constantFrom('', ' ', '\t', '"', 'W/', '*', '"1", "2"', 'null', '-1', '1e3', 'x'.repeat(8_000)),
);

/** Values for an operation's header parameters: valid (hints), arbitrary text, or absent. */
export function headersArbitrary(
  doc: OpenApiDocument,
  parameters: ParameterObject[],
  hints: Hints,
): fc.Arbitrary<Record<string, unknown>> {
  const inHeader = parameters.filter((p) => p.in === 'header');
  return fc
    .tuple(
      ...inHeader.map((parameter) => {
        const hint = hintFor({ doc, hints, path: `header:${parameter.name}`, name: `header:${parameter.name}` });
        return fc
          .oneof(
            { arbitrary: hint ?? headerText, weight: hint ? 6 : 1 },
            { arbitrary: headerText, weight: 2 },
            { arbitrary: fc.constant(undefined), weight: parameter.required ? 1 : 3 },
          )
          .map((value): [string, unknown] => [parameter.name, value]);
      }),
    )
    .map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
}

// ---------------------------------------------------------------------------------------------
// Whole requests

export interface GeneratedRequest {
  method: string;
  template: string;
  pathValues: Record<string, PathValue>;
  query: QueryPart[];
  headers: Record<string, unknown>;
  /** Absent: no body. `json`: sent as JSON text. */
  body?: { json: unknown; contentType: string };
}

/** Content types a JSON body goes out with: mostly right, sometimes not. */
const CONTENT_TYPES = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/vnd.api+json',
      'application/json; boundary=x',
    ),
    weight: 1,
  },
);

/**
 * Requests for an operation: a third as its document allows (every parameter and the body valid,
 * so that some pass and change something), a third with one thing wrong, a third changed anywhere.
 */
export function requestArbitrary(
  doc: OpenApiDocument,
  info: OperationInfo,
  hints: Hints = {},
): fc.Arbitrary<GeneratedRequest> {
  return fc.oneof(
    { arbitrary: validRequestArbitrary(doc, info, hints), weight: 1 },
    { arbitrary: oneFaultRequestArbitrary(doc, info, hints), weight: 1 },
    { arbitrary: mutatedRequestArbitrary(doc, info, hints), weight: 1 },
  );
}

/**
 * A valid request with one thing wrong: one property of its body, else one query parameter, else
 * one path parameter.
 */
export function oneFaultRequestArbitrary(
  doc: OpenApiDocument,
  info: OperationInfo,
  hints: Hints = {},
): fc.Arbitrary<GeneratedRequest> {
  const parameters = info.operation.parameters ?? [];
  const bodySchema = bodySchemaOf(info);
  const valid = validRequestArbitrary(doc, info, hints);
  if (bodySchema) {
    return fc
      .tuple(valid, singlyMutated(bodySchema, { doc, hints, path: '', name: '' }))
      .map(([request, json]) => ({ ...request, body: { json, contentType: 'application/json' } }));
  }
  const query = parameters.filter((p) => p.in === 'query');
  const inPath = parameters.filter((p) => p.in === 'path');
  const target = query.length > 0 ? query : inPath;
  if (target.length === 0) return valid;
  return fc.tuple(valid, fc.constantFrom(...target)).chain(([request, parameter]) => {
    const schema = resolveSchema(doc, parameter.schema);
    const single = schema.type === 'array' ? resolveSchema(doc, schema.items) : schema;
    const where: Where = { doc, hints, path: `${parameter.in}:${parameter.name}`, name: parameter.name };
    return invalidValue(single, where)
      .filter((v) => typeof v !== 'object' || v === null)
      .map((value) =>
        parameter.in === 'query'
          ? {
              ...request,
              query: [...request.query.filter((q) => q.key !== parameter.name), { key: parameter.name, value }],
            }
          : { ...request, pathValues: { ...request.pathValues, [parameter.name]: { value } } },
      );
  });
}

function bodySchemaOf(info: OperationInfo): SchemaObject | undefined {
  return info.operation.requestBody?.content?.['application/json']?.schema;
}

function assemble(
  info: OperationInfo,
  parts: Pick<GeneratedRequest, 'pathValues' | 'query' | 'headers' | 'body'>,
): GeneratedRequest {
  return { method: info.method, template: info.path, ...parts };
}

/** A request its document allows (as far as the document and the hints know). */
export function validRequestArbitrary(
  doc: OpenApiDocument,
  info: OperationInfo,
  hints: Hints = {},
): fc.Arbitrary<GeneratedRequest> {
  const parameters = info.operation.parameters ?? [];
  const valueOf = (p: ParameterObject) => {
    if (p.in === 'header')
      return hintFor({ doc, hints, path: `header:${p.name}`, name: `header:${p.name}` }) ?? headerText;
    const schema = resolveSchema(doc, p.schema);
    const single = p.in === 'query' && schema.type === 'array' ? resolveSchema(doc, schema.items) : schema;
    return validValue(single, { doc, hints, path: `${p.in}:${p.name}`, name: p.name });
  };
  const optionally = (p: ParameterObject, arbitrary: fc.Arbitrary<unknown>) =>
    p.required ? arbitrary : fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary, weight: 1 });
  const entries = (where: ParameterObject['in']) =>
    fc.tuple(
      ...parameters
        .filter((p) => p.in === where)
        .map((p) => optionally(p, valueOf(p)).map((value): [string, unknown] => [p.name, value])),
    );
  const bodySchema = bodySchemaOf(info);
  return fc
    .record({
      pathValues: entries('path').map((es) => Object.fromEntries(es.map(([name, value]) => [name, { value }]))),
      query: entries('query').map((es) =>
        es.filter(([, value]) => value !== undefined).map(([key, value]): QueryPart => ({ key, value })),
      ),
      headers: entries('header').map((es) => Object.fromEntries(es.filter(([, value]) => value !== undefined))),
      body: bodySchema
        ? validValue(bodySchema, { doc, hints, path: '', name: '' }).map((json) => ({
            json,
            contentType: 'application/json',
          }))
        : fc.constant(undefined),
    })
    .map((parts) => assemble(info, parts));
}

/** A request with hostile or wrong values anywhere: path, query, headers, body, content type. */
export function mutatedRequestArbitrary(
  doc: OpenApiDocument,
  info: OperationInfo,
  hints: Hints = {},
): fc.Arbitrary<GeneratedRequest> {
  const parameters = info.operation.parameters ?? [];
  const bodySchema = bodySchemaOf(info);
  const body = bodySchema
    ? fc.oneof(
        {
          arbitrary: fc
            .tuple(bodyArbitrary(doc, bodySchema, hints), CONTENT_TYPES)
            .map(([json, contentType]) => ({ json, contentType })),
          weight: 12,
        },
        { arbitrary: fc.constant(undefined), weight: info.operation.requestBody?.required ? 1 : 3 },
      )
    : fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 6 },
        { arbitrary: wrongValue.map((json) => ({ json, contentType: 'application/json' })), weight: 1 },
      );
  return fc
    .record({
      pathValues: pathArbitrary(doc, parameters, hints),
      query: queryArbitrary(doc, parameters, hints),
      headers: headersArbitrary(doc, parameters, hints),
      body,
    })
    .map((parts) => assemble(info, parts));
}

// ---------------------------------------------------------------------------------------------
// Oracles

/** Deepest nesting of objects and arrays in a JSON value (a top-level object is 1). */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as object);
  return 1 + children.reduce<number>((max, child) => Math.max(max, jsonDepth(child)), 0);
}

/**
 * Where a value breaks what its schema says (required, type, enum, length, pattern, range,
 * unknown properties): a request the service answered 2xx must break nothing its document says.
 */
export function schemaViolations(doc: OpenApiDocument, schemaIn: SchemaObject | undefined, value: unknown, path = '') {
  const schema = resolveSchema(doc, schemaIn);
  const at = path || '(body)';
  const found: string[] = [];
  if (value === null) {
    if (!schema.nullable && Object.keys(schema).length > 0) found.push(`${at}: null, not nullable`);
    return found;
  }
  if (schema.enum && !schema.enum.includes(value)) found.push(`${at}: ${JSON.stringify(value)} not in enum`);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (
    type === 'integer' ? !Number.isInteger(value) : type === 'number' ? actual !== 'number' : type && type !== actual
  ) {
    found.push(`${at}: ${actual}, documented ${type}`);
    return found;
  }
  if (typeof value === 'string') {
    // JSON Schema counts characters (code points), not UTF-16 units.
    const characters = [...value].length;
    if (schema.maxLength !== undefined && characters > schema.maxLength) {
      found.push(`${at}: ${characters} characters, documented maxLength ${schema.maxLength}`);
    }
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
      found.push(`${at}: ${JSON.stringify(value)} breaks the documented pattern`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) found.push(`${at}: below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) found.push(`${at}: above maximum ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => found.push(...schemaViolations(doc, schema.items, item, `${path}.${i}`)));
  }
  if (actual === 'object' && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(object, name)) found.push(`${path ? `${path}.` : ''}${name}: missing`);
    }
    for (const [name, child] of Object.entries(object)) {
      const childPath = path ? `${path}.${name}` : name;
      const childSchema = schema.properties[name];
      if (!childSchema) found.push(`${childPath}: not a documented property`);
      else found.push(...schemaViolations(doc, childSchema, child, childPath));
    }
  }
  return found;
}

/** Every string in a JSON value with its path (`contact.name`, `sectorCodes.0`). */
export function stringLeaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, path ? `${path}.${key}` : key));
}

/** The value at a dotted path. */
export function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .filter(Boolean)
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined,
      value,
    );
}
