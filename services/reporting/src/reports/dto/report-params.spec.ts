import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CompositionQuery } from './composition.query';
import { MemberCountQuery } from './member-count.query';
import { DateRangeParams } from './report-params';

async function problems<T extends object>(type: new () => T, query: Record<string, string>): Promise<string[]> {
  const errors = await validate(plainToInstance(type, query) as object);
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

/**
 * Days whose next day has no YYYY-MM-DD (after 9999-12-30) reached Postgres as '+010000-01-01'
 * from the period arithmetic and answered 500 (found by the input properties,
 * test/hardening/input-properties.int-spec.ts).
 */
describe('report days', () => {
  it.each([
    [MemberCountQuery, { asOf: '9999-12-31' }, 'asOf'],
    [CompositionQuery, { by: 'region', asOf: '9999-12-31' }, 'asOf'],
    [DateRangeParams, { from: '2025-01-01', to: '9999-12-31' }, 'to'],
  ])('refuse the last day of year 9999 (%p)', async (type, query, field) => {
    expect(await problems(type as new () => object, query)).toContain(`${field} must be a day up to 9999-12-30`);
  });

  it('take every other calendar day, 9999-12-30 included', async () => {
    expect(await problems(MemberCountQuery, { asOf: '9999-12-30' })).toEqual([]);
    expect(await problems(DateRangeParams, { from: '1900-01-01', to: '2026-12-01' })).toEqual([]);
  });
});
