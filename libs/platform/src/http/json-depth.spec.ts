import { jsonNestedDeeperThan } from './json-depth';

describe('jsonNestedDeeperThan', () => {
  const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

  it('counts objects and arrays alike, up to the bound and one beyond', () => {
    expect(jsonNestedDeeperThan(nested(16), 16)).toBe(false);
    expect(jsonNestedDeeperThan(nested(17), 16)).toBe(true);
    expect(jsonNestedDeeperThan('{"a":{"b":[{"c":[1]}]}}', 4)).toBe(true);
    expect(jsonNestedDeeperThan('{"a":{"b":[{"c":[1]}]}}', 5)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonNestedDeeperThan(JSON.stringify({ text: '[[[[[[[[[[{{{{{{{{' }), 2)).toBe(false);
    expect(jsonNestedDeeperThan(JSON.stringify({ text: 'say \\"[[[[[[[\\" and \\\\' }), 2)).toBe(false);
    expect(jsonNestedDeeperThan('{"a":"\\"","b":[[[1]]]}', 3)).toBe(true);
  });

  it('measures depth, not the number of brackets', () => {
    expect(jsonNestedDeeperThan('[' + '[],'.repeat(10_000) + '[]]', 2)).toBe(false);
  });

  it('reads bytes as well as text, and stops at the first level too many (20,000 levels in microseconds)', () => {
    const started = process.hrtime.bigint();
    expect(jsonNestedDeeperThan(Buffer.from(nested(20_000)), 16)).toBe(true);
    expect(Number(process.hrtime.bigint() - started)).toBeLessThan(50_000_000);
  });
});
