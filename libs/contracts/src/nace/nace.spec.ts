import { validateSync } from 'class-validator';
import { IsNaceCode, isNaceCode, naceEntries, naceEntry } from './nace';

class Sectors {
  @IsNaceCode({ each: true })
  sectorCodes!: unknown[];
}

describe('NACE Rev. 2 list', () => {
  it('holds the whole classification: 21 sections, 88 divisions, 272 groups, 615 classes', () => {
    const count = (level: string) => naceEntries().filter((e) => e.level === level).length;
    expect([count('section'), count('division'), count('group'), count('class')]).toEqual([21, 88, 272, 615]);
  });

  it('finds codes at every level with their English titles and parents', () => {
    expect(naceEntry('C')).toEqual({ code: 'C', level: 'section', parent: null, title: 'Manufacturing' });
    expect(naceEntry('C26')?.title).toBe('Manufacture of computer, electronic and optical products');
    expect(naceEntry('C26.1')).toMatchObject({ level: 'group', parent: 'C26' });
    expect(naceEntry('C26.11')).toEqual({
      code: 'C26.11',
      level: 'class',
      parent: 'C26.1',
      title: 'Manufacture of electronic components',
    });
    expect(naceEntry('N82.99')?.title).toBe('Other business support service activities n.e.c.');
    expect(naceEntry('C27.40')?.title).toBe('Manufacture of electric lighting equipment');
  });

  it.each(['Z99', 'C26.13', 'C34', 'A04', 'c26.1', 'C26.', '26.11', '', 'C 26'])('refuses %p', (code) => {
    expect(isNaceCode(code)).toBe(false);
  });

  it('validates each element of an array with the decorator', () => {
    const ok = Object.assign(new Sectors(), { sectorCodes: ['C26.1', 'M72', 'N'] });
    expect(validateSync(ok)).toEqual([]);
    const bad = Object.assign(new Sectors(), { sectorCodes: ['C26.1', 'C26.13', 7] });
    const errors = validateSync(bad);
    expect(errors).toHaveLength(1);
    expect(Object.values(errors[0].constraints!)[0]).toMatch(/^sectorCodes must hold NACE Rev. 2 codes/);
    // named, so a client can tell this refusal from the others of the field
    expect(Object.keys(errors[0].constraints!)).toEqual(['isNaceCode']);
  });
});
