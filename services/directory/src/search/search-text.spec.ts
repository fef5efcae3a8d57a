import { foldText, queryTerms, sectorPrefixes } from './search-text';

describe('search text', () => {
  it('folds Lithuanian letters and case', () => {
    expect(foldText('Pažangios Inovacijos UAB')).toBe('pazangios inovacijos uab');
    expect(foldText('ĄČĘĖĮŠŲŪŽ ąčęėįšųūž')).toBe('aceeisuuz aceeisuuz');
  });

  it('splits a query into folded words, dropping punctuation', () => {
    expect(queryTerms("  Bal'tLed & (Pažangios) | !x:* ")).toEqual(['bal', 'tled', 'pazangios', 'x']);
  });

  it('expands NACE codes to the section, division, group and class they belong to', () => {
    expect(sectorPrefixes(['C26.11', 'M72'])).toEqual(['C', 'C26', 'C26.1', 'C26.11', 'M', 'M72']);
    expect(sectorPrefixes(['C', 'C26.1'])).toEqual(['C', 'C26', 'C26.1']);
  });
});
