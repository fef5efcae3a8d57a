import fs from 'node:fs';
import { isNaceCode, naceEntries, naceEntry } from './nace';

/**
 * What the classification is read into (its first test reads the file: this module's own copy of the
 * list), and that it is read once (beside nace.spec.ts).
 */
describe('NACE Rev. 2 entries', () => {
  it('a section has no parent; every other entry has the code one level up', () => {
    const byCode = new Map(naceEntries().map((e) => [e.code, e]));
    for (const entry of byCode.values()) {
      if (entry.level === 'section') expect(entry.parent).toBeNull();
      else
        expect(byCode.get(entry.parent!)?.level).toBe(
          { division: 'section', group: 'division', class: 'group' }[entry.level],
        );
    }
    expect(naceEntry('A')).toEqual({ code: 'A', level: 'section', parent: null, title: expect.any(String) });
    expect(naceEntry('A01')?.parent).toBe('A');
  });

  it('is read from its file once', () => {
    const read = jest.spyOn(fs, 'readFileSync');
    try {
      expect(isNaceCode('C26')).toBe(true);
      expect(naceEntry('C26.11')?.level).toBe('class');
      expect(naceEntries().length).toBe(996);
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });

  it('answers undefined for what is no string', () => {
    expect(naceEntry(26 as unknown as string)).toBeUndefined();
    expect(isNaceCode(null)).toBe(false);
  });
});
