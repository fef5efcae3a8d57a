import fc from 'fast-check';
import {
  at,
  bodyArbitrary,
  deferred,
  encodeQuery,
  fillPath,
  hasMalformedEscape,
  jsonDepth,
  listOperations,
  materialize,
  OpenApiDocument,
  ownObject,
  percentEncode,
  queryArbitrary,
  requestArbitrary,
  resolveSchema,
  schemaViolations,
  singlyMutated,
  stringLeaves,
  validValue,
} from './openapi-arbitraries';

const ONE_LINE = '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$';

/** A document shaped like the ones Nest's swagger writes for Valley's DTOs. */
const doc: OpenApiDocument = {
  paths: {
    '/health': { get: {} },
    '/things': {
      post: {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingDto' } } },
        },
      },
      get: {
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { minimum: 1, maximum: 100, allOf: [{ $ref: '#/components/schemas/Object' }] },
          },
          { name: 'status', in: 'query', required: true, schema: { type: 'string', enum: ['open', 'closed'] } },
        ],
      },
    },
    '/things/{id}': {
      patch: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }] },
    },
  },
  components: {
    schemas: {
      Object: { type: 'object', properties: {} },
      ContactDto: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: 20, pattern: ONE_LINE }, email: { type: 'string' } },
        required: ['name', 'email'],
      },
      ThingDto: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: 30, pattern: ONE_LINE },
          kind: { type: 'string', enum: ['a', 'b'] },
          codes: { type: 'array', items: { type: 'string' } },
          count: { type: 'number', minimum: 1, maximum: 5 },
          since: { type: 'string', format: 'date' },
          contact: { $ref: '#/components/schemas/ContactDto' },
          note: { type: 'string', nullable: true },
        },
        required: ['name', 'kind', 'contact'],
      },
    },
  },
};
const thing = { $ref: '#/components/schemas/ThingDto' };
const hints = { valid: { email: fc.constant('ona@example.lt'), 'codes[]': fc.constantFrom('C', 'C26') } };

describe('openapi arbitraries', () => {
  it('lists the operations but the plumbing', () => {
    expect(listOperations(doc).map((o) => o.key)).toEqual(['POST /things', 'GET /things', 'PATCH /things/{id}']);
  });

  it('follows $ref and merges a lone allOf', () => {
    expect(resolveSchema(doc, { $ref: '#/components/schemas/ContactDto' }).required).toEqual(['name', 'email']);
    expect(resolveSchema(doc, { minimum: 1, allOf: [{ $ref: '#/components/schemas/Object' }] })).toMatchObject({
      type: 'object',
      minimum: 1,
    });
  });

  it('valid values break nothing the schema says, and use the hints', () => {
    fc.assert(
      fc.property(validValue(thing, { doc, hints, path: '', name: '' }), (value) => {
        expect(schemaViolations(doc, thing, value)).toEqual([]);
        expect(at(value, 'contact.email')).toBe('ona@example.lt');
        for (const code of (at(value, 'codes') as string[] | undefined) ?? []) expect(['C', 'C26']).toContain(code);
      }),
      { numRuns: 200 },
    );
  });

  it('bodies are sometimes valid and mostly not, with unknown, prototype and missing keys among them', () => {
    const seen = { valid: 0, invalid: 0, protoKey: 0, missingRequired: 0, notObject: 0 };
    fc.assert(
      fc.property(bodyArbitrary(doc, thing, hints), (body) => {
        const violations = schemaViolations(doc, thing, body);
        seen[violations.length === 0 ? 'valid' : 'invalid']++;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) seen.notObject++;
        else {
          if (Object.prototype.hasOwnProperty.call(body, '__proto__')) seen.protoKey++;
          if (!('kind' in body)) seen.missingRequired++;
        }
      }),
      { numRuns: 1000, seed: 42 },
    );
    expect(seen.valid).toBeGreaterThan(100);
    expect(seen.invalid).toBeGreaterThan(300);
    expect(seen.protoKey).toBeGreaterThan(0);
    expect(seen.missingRequired).toBeGreaterThan(10);
    expect(seen.notObject).toBeGreaterThan(10);
  });

  it('a singly mutated body breaks at most one property, nested ones included, and keeps the rest valid', () => {
    const broken = new Set<string>();
    fc.assert(
      fc.property(singlyMutated(thing, { doc, hints, path: '', name: '' }), (body) => {
        const paths = schemaViolations(doc, thing, body).map((v) => v.split(':')[0]);
        // Everything broken lies in one top-level property (a whole contact replaced breaks its parts).
        expect(new Set(paths.map((p) => p.split('.')[0])).size).toBeLessThanOrEqual(1);
        paths.forEach((p) => broken.add(p.replace(/\.\d+$/, '')));
      }),
      { numRuns: 500, seed: 3 },
    );
    expect([...broken]).toEqual(expect.arrayContaining(['name', 'kind', 'contact.name', 'contact.email', 'count']));
  });

  it('a __proto__ key stays an own key and goes out in the JSON', () => {
    const object = ownObject([['__proto__', { polluted: true }]]);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(JSON.stringify(object)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('percent-encodes lone surrogates as their 3-byte form and pairs as one code point', () => {
    expect(percentEncode('a b')).toBe('a%20b');
    expect(percentEncode('\ud800')).toBe('%ED%A0%80');
    expect(percentEncode('\udfff')).toBe('%ED%BF%BF');
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
    expect(percentEncode('ž\u0000')).toBe('%C5%BE%00');
    expect(decodeURIComponent(percentEncode('Žąsų Ūkis 株式会社 👩‍🔬'))).toBe('Žąsų Ūkis 株式会社 👩‍🔬');
    expect(hasMalformedEscape(percentEncode('\ud800'))).toBe(true);
    expect(hasMalformedEscape('a%zz')).toBe(true);
    expect(hasMalformedEscape('%C5%BE')).toBe(false);
  });

  it('writes query strings and paths, raw parts as given', () => {
    expect(encodeQuery([])).toBe('');
    expect(encodeQuery([{ key: 'q', value: 'a&b' }, { key: 'limit', value: 5 }, { key: 'flag' }])).toBe(
      '?q=a%26b&limit=5&flag',
    );
    expect(encodeQuery([{ key: 'q', value: 'a%zz', raw: true }])).toBe('?q=a%zz');
    expect(fillPath('/things/{id}/x', { id: { value: 'a/b' } })).toBe('/things/a%2Fb/x');
    expect(fillPath('/things/{id}', { id: { value: '%', raw: true } })).toBe('/things/%');
  });

  it('query parts: required parameters mostly present, values in and out of the enum, unknown keys sometimes', () => {
    const parameters = doc.paths['/things'].get.parameters!;
    let present = 0;
    let enumValue = 0;
    let unknownKey = 0;
    fc.assert(
      fc.property(queryArbitrary(doc, parameters, {}), (parts) => {
        const status = parts.filter((p) => p.key === 'status');
        if (status.length > 0) present++;
        if (status.some((p) => p.value === 'open' || p.value === 'closed')) enumValue++;
        if (parts.some((p) => !['status', 'limit'].includes(p.key))) unknownKey++;
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(present).toBeGreaterThan(350);
    expect(enumValue).toBeGreaterThan(200);
    expect(unknownKey).toBeGreaterThan(20);
  });

  it('requests fill every path parameter, and deferred values resolve when sent', () => {
    const [patch] = listOperations(doc).filter((o) => o.method === 'PATCH');
    fc.assert(
      fc.property(
        requestArbitrary(doc, patch, { valid: { 'path:id': fc.constant(deferred('an id', () => 'x')) } }),
        (r) => {
          expect(Object.keys(r.pathValues)).toEqual(['id']);
        },
      ),
      { numRuns: 50 },
    );
    expect(materialize({ a: [deferred('one', (n: number) => n + 1)] }, 1)).toEqual({ a: [2] });
  });

  it('says where a value breaks its schema', () => {
    expect(
      schemaViolations(doc, thing, { name: 'a\nb', kind: 'c', contact: { name: 'x' }, extra: 1, count: 9 }),
    ).toEqual([
      'name: "a\\nb" breaks the documented pattern',
      'kind: "c" not in enum',
      'contact.email: missing',
      'extra: not a documented property',
      'count: above maximum 5',
    ]);
  });

  it('measures depth and lists string leaves', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({ a: [1, { b: [] }] })).toBe(4);
    expect(stringLeaves({ a: 'x', b: { c: ['y', 1] } })).toEqual([
      ['a', 'x'],
      ['b.c.0', 'y'],
    ]);
  });
});
