import { Type } from '@sinclair/typebox';
import { compileSchema } from './schema-validator';
import { Formatted, Maybe, OneOf } from './schema-types';

/** compileSchema: judges as the schema says, and words each reason as `path: what it must be`. */
const schema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 5 }),
  code: Type.Optional(Type.String({ minLength: 3, pattern: '^[A-Z]+$' })),
  count: Type.Optional(Type.Integer({ minimum: 2 })),
  tags: Type.Optional(Type.Array(Type.String(), { minItems: 2 })),
  kind: Type.Optional(OneOf(['a', 'b'])),
  site: Maybe(Formatted('uri')),
  flag: Type.Optional(Type.Boolean()),
  nested: Type.Optional(Type.Object({ 'a/b': Type.Optional(Type.Number()), 'c~d': Type.Optional(Type.Null()) })),
  list: Type.Optional(Type.Array(Type.Object({}))),
  exactly: Type.Optional(Type.Literal('x')),
});
const validator = compileSchema(schema);

describe('compileSchema', () => {
  it('passes what the schema allows, and explains nothing then', () => {
    const value = { name: 'Ona', site: null, kind: 'a', count: 2, tags: ['x', 'y'] };
    expect(validator.check(value)).toBe(true);
    expect(validator.explain(value)).toBe('');
  });

  it.each([
    [{}, 'name: is required'],
    [{ name: '' }, 'name: must not be empty'],
    [{ name: 'Onutė Ona' }, 'name: must be at most 5 characters long'],
    [{ name: 'O', code: 'AB' }, 'code: must be at least 3 characters long'],
    [{ name: 'O', code: 'abc' }, 'code: must match ^[A-Z]+$'],
    [{ name: 'O', count: 1 }, 'count: must be 2 or more'],
    [{ name: 'O', count: 2.5 }, 'count: must be an integer'],
    [{ name: 'O', tags: ['x'] }, 'tags: must hold at least 2 items'],
    [{ name: 'O', tags: 'x' }, 'tags: must be an array'],
    [{ name: 'O', kind: 'c' }, 'kind: must be one of a, b'],
    [{ name: 'O', site: 'lt' }, 'site: must be a URL with its protocol (https://…)'],
    [{ name: 'O', site: 7 }, 'site: must be a string'],
    [{ name: 'O', flag: 'yes' }, 'flag: must be a boolean'],
    [{ name: 'O', nested: [] }, 'nested: must be an object'],
    [{ name: 'O', nested: { 'a/b': 'x' } }, 'nested.a/b: must be a number'],
    [{ name: 'O', nested: { 'c~d': 1 } }, 'nested.c~d: must be null'],
    [{ name: 'O', list: [{}, 3] }, 'list.1: must be an object'],
    [{ name: 'O', exactly: 'y' }, 'exactly: must be equal to constant'],
    [[], '(the whole value): must be an object'],
  ])('words %j as %p', (value, reason) => {
    expect(validator.check(value)).toBe(false);
    expect(validator.explain(value)).toBe(reason);
  });

  it('names every fault at once, each once', () => {
    expect(validator.explain({ name: '', count: 0, kind: 'z' })).toBe(
      'name: must not be empty; count: must be 2 or more; kind: must be one of a, b',
    );
  });

  it('judges the formats it knows, and refuses a schema with a keyword or a format it does not', () => {
    expect(compileSchema(Formatted('email')).check('ruta@tiksli.lt')).toBe(true);
    expect(compileSchema(Formatted('email')).check('ruta')).toBe(false);
    expect(() => compileSchema({ type: 'string', format: 'colour' })).toThrow(/unknown format "colour"/);
    expect(() => compileSchema({ type: 'string', colour: 'red' })).toThrow(/unknown keyword/);
  });
});
