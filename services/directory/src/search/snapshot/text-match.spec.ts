import { indexed, listedEntry } from '../../../test/indexed-members';
import { fieldPoints, MATCH, TextIndex } from './text-match';

describe('text matching', () => {
  const entries = [
    listedEntry({ legalName: 'Metalo Apdirbimas UAB' }),
    listedEntry({ legalName: 'Baltic Light', statement: 'Metalo gaminiai' }),
    listedEntry({ legalName: 'Saulės Elektra', description: 'lazeriai ir metalas' }),
    undefined,
    listedEntry({ legalName: 'Pažangios Inovacijos', description: 'apdirbimo centras' }),
  ];
  const { members, live, dictionaries, bitsWords } = indexed(entries);
  const text = new TextIndex(members, live, dictionaries.words, bitsWords);

  it('matches every word, whole or as the beginning of a word, in any text field', () => {
    expect(text.match(['metal']).bits.array()).toEqual([0, 1, 2]);
    expect(text.match(['metalo']).bits.array()).toEqual([0, 1]);
    expect(text.match(['metalo', 'apdirb']).bits.array()).toEqual([0]);
    expect(text.match(['apdirb']).bits.array()).toEqual([0, 4]);
    expect(text.match(['pazangios']).bits.array()).toEqual([4]);
    expect(text.match(['vandenilis']).bits.array()).toEqual([]);
  });

  it('looks within one typo only when the words find nothing as they are', () => {
    expect(text.match(['metlao']).bits.array()).toEqual([0, 1]);
    // `metalas` is one edit from `metalo`, but matches as it is: no typo match is added.
    expect(text.match(['metalas']).bits.array()).toEqual([2]);
    expect(text.match(['metlao', 'apdribimas']).bits.array()).toEqual([0]);
    // Words of fewer than four letters get no typos.
    expect(text.match(['uav']).bits.array()).toEqual([]);
  });

  it('keeps a match for the same words', () => {
    expect(text.match(['metal'])).toBe(text.match(['metal']));
    expect(text.match(['metal'])).not.toBe(text.match(['metalo']));
  });

  it('scores each word by where and how it matched, summed over the words', () => {
    expect(fieldPoints(1)).toBe(100);
    expect(fieldPoints(2)).toBe(40);
    expect(fieldPoints(4)).toBe(20);
    expect(fieldPoints(1 | 4)).toBe(100);
    const points = text.relevance(text.match(['metalo']));
    expect(points[0]).toBe(MATCH.word * 100); // in the name
    expect(points[1]).toBe(MATCH.word * 40); // in the statement
    expect(points[2]).toBe(0); // not matched
    const prefix = text.relevance(text.match(['metal']));
    expect([prefix[0], prefix[1], prefix[2]]).toEqual([MATCH.prefix * 100, MATCH.prefix * 40, MATCH.prefix * 20]);
    const typo = text.relevance(text.match(['metlao']));
    expect(typo[0]).toBe(MATCH.typo * 100);
    const two = text.relevance(text.match(['metalo', 'apdirbimas']));
    expect(two[0]).toBe(MATCH.word * 100 + MATCH.word * 100);
  });

  it('keeps the points with the match', () => {
    const match = text.match(['apdirb']);
    expect(text.relevance(match)).toBe(text.relevance(match));
    expect(match.points?.[4]).toBe(MATCH.prefix * 20);
  });
});

describe('text matching per audience', () => {
  // Enough members that a word of one or two of them takes the posting-by-posting path, and one
  // word (`bendras`) that everyone uses takes the frequent words' bit sets.
  const filler = Array.from({ length: 96 }, (_, i) => listedEntry({ legalName: `Narys ${i}`, statement: 'bendras' }));
  const entries = [
    listedEntry({ legalName: 'Viešas UAB', statement: 'lazeriai', description: 'suvirinimas' }),
    listedEntry({
      legalName: 'Nariams UAB',
      statement: 'lazeriai',
      description: 'suvirinimas bendras',
      visibility: { statement: 'members', description: 'members' },
    }),
    listedEntry({
      legalName: 'Paslėptas UAB',
      statement: 'lazeriai',
      description: 'suvirinimas',
      visibility: { statement: 'hidden', description: 'hidden' },
    }),
    listedEntry({
      legalName: 'Mišrus UAB',
      statement: 'lazeriai',
      visibility: { statement: 'members' },
      description: 'lazeriai',
    }),
    ...filler,
  ];
  const { members, live, dictionaries, bitsWords } = indexed(entries);
  const text = new TextIndex(members, live, dictionaries.words, bitsWords);

  it('matches for the public only where the public sees the words; for members also members-only text', () => {
    expect(text.match(['suvirinimas'], 'public').bits.array()).toEqual([0]);
    expect(text.match(['suvirinimas'], 'members').bits.array()).toEqual([0, 1]);
    expect(text.match(['lazer'], 'public').bits.array()).toEqual([0, 3]);
    expect(text.match(['lazer'], 'members').bits.array()).toEqual([0, 1, 3]);
    // without an audience: the public
    expect(text.match(['suvirinimas']).bits.array()).toEqual([0]);
  });

  it('never matches the words of a hidden field, for anyone, not even through a typo', () => {
    for (const audience of ['public', 'members'] as const) {
      expect(text.match(['paslėptas', 'lazeriai'], audience).bits.array()).toEqual([]);
      expect(text.match(['paslėptas', 'lazeriaj'], audience).bits.array()).toEqual([]);
    }
    expect(text.match(['paslėptas'], 'public').bits.array()).toEqual([2]); // the name is always seen
  });

  it('typos for the public look past words only members see', () => {
    // `nariams` is a name (public); `suvirinimaz` is one edit from a word the public sees in member 0 only
    expect(text.match(['nariams', 'suvirinimaz'], 'public').bits.array()).toEqual([]);
    expect(text.match(['nariams', 'suvirinimaz'], 'members').bits.array()).toEqual([1]);
  });

  it('counts a frequent word for the public without the members whose use of it only members see', () => {
    const everyone = text.match(['bendras'], 'members').bits.array();
    expect(everyone).toEqual([1, ...filler.map((_, i) => i + 4)]);
    expect(text.match(['bendras'], 'public').bits.array()).toEqual(filler.map((_, i) => i + 4));
  });

  it('keeps each audience its own match, and scores only the places the audience sees', () => {
    expect(text.match(['lazer'], 'public')).not.toBe(text.match(['lazer'], 'members'));
    expect(fieldPoints(2 << 3)).toBe(40);
    expect(fieldPoints(4 << 3)).toBe(20);
    const forPublic = text.relevance(text.match(['lazeriai'], 'public'));
    const forMembers = text.relevance(text.match(['lazeriai'], 'members'));
    // member 3: its statement is members-only, its description public
    expect(forPublic[3]).toBe(MATCH.word * 20);
    expect(forMembers[3]).toBe(MATCH.word * 40);
    expect(forMembers[1]).toBe(MATCH.word * 40);
    expect(forPublic[0]).toBe(MATCH.word * 40);
  });

  it('shares one match between the audiences while nobody shows text to members only', () => {
    const plain = indexed([
      listedEntry({ legalName: 'Vienas', statement: 'lazeriai' }),
      listedEntry({ visibility: { logo: 'members' } }),
    ]);
    const shared = new TextIndex(plain.members, plain.live, plain.dictionaries.words, plain.bitsWords);
    expect(shared.match(['lazeriai'], 'members')).toBe(shared.match(['lazeriai'], 'public'));
  });
});
