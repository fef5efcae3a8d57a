import { ListedMember } from '../common/listed-member';
import { SortOrder } from '../common/sort-order';
import { EntryState } from '../projection';
import { IndexFilters, IndexPage, PageRequest, SortKey } from './snapshot/index-snapshot';
import { IndexedMember } from './indexed-member';
import { MemberIndex } from './member-index';
import { queryTerms, sectorPrefixes } from './search-text';
import { profileJsonFor } from './indexed-member';
import { listedEntry } from '../../test/indexed-members';

/** A listed member with a contact person. */
const member = (overrides: Partial<EntryState> = {}): EntryState =>
  listedEntry({ contactName: 'Ona Onaitė', contactEmail: 'ona@example.lt', ...overrides });

const firstPage = (sort: SortOrder = 'relevance', limit = 100): PageRequest => ({
  sort,
  after: null,
  limit,
  facets: false,
});

const profile = (m: IndexedMember | undefined): ListedMember => JSON.parse(m!.profileJson);

function names(index: MemberIndex, q: string, filters: IndexFilters = {}, sort: SortOrder = 'relevance'): string[] {
  const words = queryTerms(q);
  const page = index.search({ words, filters }, firstPage(words.length ? sort : 'name'));
  return page.hits.map((hit) => profile(hit.member).legalName);
}

describe('MemberIndex', () => {
  describe('text', () => {
    const index = new MemberIndex();
    index.apply(
      [
        member({ legalName: 'Pažangios Inovacijos UAB', statement: 'Kartu kuriame gamybos technologijas.' }),
        member({ legalName: 'BaltLed UAB', description: 'LED šviestuvų gamyba.' }),
        member({ legalName: 'Metalo Apdirbimas UAB', description: 'CNC frezavimas ir tekinimas.' }),
        member({ legalName: 'Gamybos Sprendimai UAB' }),
      ],
      [],
    );

    it('matches whole words and word beginnings, with or without Lithuanian letters', () => {
      expect(names(index, 'Pazangios')).toEqual(['Pažangios Inovacijos UAB']);
      expect(names(index, 'pažangios inovacijos')).toEqual(['Pažangios Inovacijos UAB']);
      expect(names(index, 'Bal')).toEqual(['BaltLed UAB']);
      expect(names(index, 'frezav')).toEqual(['Metalo Apdirbimas UAB']);
    });

    it('needs every word', () => {
      expect(names(index, 'metalo baltled')).toEqual([]);
      expect(names(index, 'metalo cnc')).toEqual(['Metalo Apdirbimas UAB']);
    });

    it('finds through one typo per word, but only when nothing matches exactly', () => {
      expect(names(index, 'Metlao')).toEqual(['Metalo Apdirbimas UAB']);
      expect(names(index, 'Metalo Apdribimas')).toEqual(['Metalo Apdirbimas UAB']);
      expect(names(index, 'Baltled Sviestuvu')).toEqual(['BaltLed UAB']);
      // `metal` begins `metalo`: no typo search, so nothing merely similar comes along
      expect(names(index, 'metal')).toEqual(['Metalo Apdirbimas UAB']);
      // two typos in one word are too many; short words get none
      expect(names(index, 'Mtlao')).toEqual([]);
      expect(names(index, 'ued')).toEqual([]);
    });

    it('ranks a match in the name above one in the statement or description', () => {
      expect(names(index, 'gamyb')).toEqual(['Gamybos Sprendimai UAB', 'Pažangios Inovacijos UAB', 'BaltLed UAB']);
    });
  });

  describe('filters and facets', () => {
    const index = new MemberIndex();
    const optics = member({ legalName: 'Optika', sectorCodes: ['C26.70'], region: 'Vilniaus apskritis' });
    const university = member({
      legalName: 'Universitetas',
      sectorCodes: ['P85.42', 'M72.19'],
      organisationType: 'science_academic',
      sizeClass: 'large',
      memberSince: '2020-04-27',
    });
    const metal = member({
      legalName: 'Metalas',
      sectorCodes: ['C25.62'],
      sizeClass: 'medium',
      memberSince: '2023-09-15',
    });
    const latvian = member({ legalName: 'Elektronika', country: 'LV', region: 'Rīga', sectorCodes: ['C26.11'] });
    index.apply([optics, university, metal, latvian], []);

    it('filters by NACE section, division or class, region, country, type, size and member-since days (inclusive)', () => {
      expect(names(index, '', { sector: ['C'] })).toEqual(['Elektronika', 'Metalas', 'Optika']);
      expect(names(index, '', { sector: ['C26'] })).toEqual(['Elektronika', 'Optika']);
      expect(names(index, '', { sector: ['C26.11'] })).toEqual(['Elektronika']);
      expect(names(index, '', { sector: ['M', 'C25'] })).toEqual(['Metalas', 'Universitetas']);
      expect(names(index, '', { country: ['lv'] })).toEqual(['Elektronika']);
      expect(names(index, '', { region: ['Kauno apskritis'], sizeClass: ['large', 'medium'] })).toEqual([
        'Metalas',
        'Universitetas',
      ]);
      expect(names(index, '', { memberSinceFrom: '2020-04-27', memberSinceTo: '2022-05-01' })).toEqual([
        'Elektronika',
        'Optika',
        'Universitetas',
      ]);
      expect(names(index, '', { region: ['Nowhere'] })).toEqual([]);
    });

    it('counts each facet under every filter but its own', () => {
      const page = index.search(
        { words: [], filters: { sector: ['C'], region: ['Kauno apskritis'] } },
        { ...firstPage('name'), facets: true },
      );
      expect(page.total).toBe(1);
      const count = (facet: keyof NonNullable<typeof page.facets>, value: string) =>
        page.facets![facet].find((v) => v.value === value)?.count ?? 0;
      // region: under the sector filter only
      expect(page.facets!.region).toEqual([
        { value: 'Kauno apskritis', count: 1 },
        { value: 'Rīga', count: 1 },
        { value: 'Vilniaus apskritis', count: 1 },
      ]);
      // sector: under the region filter only; sections and divisions, not groups or classes
      expect(count('sector', 'C')).toBe(1);
      expect(count('sector', 'M')).toBe(1);
      expect(count('sector', 'M72')).toBe(1);
      expect(count('sector', 'C25.6')).toBe(0);
      // the rest: under both
      expect(page.facets!.sizeClass).toEqual([{ value: 'medium', count: 1 }]);
      expect(page.facets!.memberSinceYear).toEqual([{ value: '2023', count: 1 }]);
    });
  });

  describe('facets against counting by hand', () => {
    // A small deterministic generator (mulberry32): the same members and searches every run.
    let seed = 20200427;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const some = <T>(values: readonly T[], most: number): T[] => [
      ...new Set(Array.from({ length: 1 + Math.floor(random() * most) }, () => pick(values))),
    ];
    const choices = {
      sector: ['C25.62', 'C26.11', 'C26.70', 'M72.19', 'P85.42', 'C28.4'],
      region: ['Kauno apskritis', 'Vilniaus apskritis', 'Rīga', 'Klaipėdos apskritis'],
      country: ['LT', 'LV'],
      focusArea: ['innovation_technologies', 'cooperation', 'training_skills'],
      organisationType: ['business', 'science_academic', 'association'],
      sizeClass: ['micro', 'small', 'medium', 'large'],
      words: ['gamyba', 'lazeriai', 'optika', 'metalas'],
    } as const;
    const members = Array.from({ length: 400 }, () =>
      member({
        statement: some(choices.words, 2).join(' '),
        sectorCodes: some(choices.sector, 3),
        region: pick(choices.region),
        country: pick(choices.country),
        focusAreas: some(choices.focusArea, 2),
        organisationType: pick(choices.organisationType),
        sizeClass: pick(choices.sizeClass),
        memberSince: `${2020 + Math.floor(random() * 7)}-0${1 + Math.floor(random() * 9)}-15`,
      }),
    );
    const index = new MemberIndex();
    index.apply(members, []);

    type Facet = keyof NonNullable<IndexPage['facets']>;
    const facetValues = (m: EntryState): Record<Facet, string[]> => ({
      sector: sectorPrefixes(m.sectorCodes).filter((code) => code.length <= 3),
      region: [m.region],
      country: [m.country],
      focusArea: m.focusAreas,
      organisationType: [m.organisationType],
      sizeClass: [m.sizeClass],
      memberSinceYear: [m.memberSince.slice(0, 4)],
    });
    /** Whether the member passes every filter but `except`'s, by hand. */
    const passes = (m: EntryState, filters: IndexFilters, except: Facet | null): boolean => {
      const anyOf = (facet: Facet, wanted: string[] | undefined, have: readonly string[]) =>
        facet === except || !wanted || wanted.some((value) => have.includes(value));
      const { memberSinceFrom: from = '0000-01-01', memberSinceTo: to = '9999-12-31' } = filters;
      return (
        anyOf('sector', filters.sector, sectorPrefixes(m.sectorCodes)) &&
        anyOf('region', filters.region, [m.region]) &&
        anyOf('country', filters.country, [m.country]) &&
        anyOf('focusArea', filters.focusArea, m.focusAreas) &&
        anyOf('organisationType', filters.organisationType, [m.organisationType]) &&
        anyOf('sizeClass', filters.sizeClass, [m.sizeClass]) &&
        (except === 'memberSinceYear' || (from <= m.memberSince && m.memberSince <= to))
      );
    };
    const randomFilters = (): IndexFilters => {
      const filters: IndexFilters = {};
      const kinds = ['sector', 'region', 'country', 'focusArea', 'organisationType', 'sizeClass', 'since'] as const;
      for (const kind of some(kinds, 3)) {
        if (kind === 'since') {
          const year = 2020 + Math.floor(random() * 7);
          // whole years, or a range that cuts a year
          filters.memberSinceFrom = random() < 0.5 ? `${year}-01-01` : `${year}-05-01`;
          if (random() < 0.5) filters.memberSinceTo = `${year + 1}-12-31`;
        } else if (kind === 'sector') {
          filters.sector = some(['C', 'C25', 'C26', 'C26.1', 'M', 'P85.42'], 2);
        } else {
          // a value may come twice (`region=a&region=a`)
          filters[kind] = random() < 0.1 ? [pick(choices[kind]), pick(choices[kind])] : some(choices[kind], 2);
        }
      }
      return filters;
    };

    it('counts what a count by hand counts, under any mix of filters, asked once or again', () => {
      // Asked again and again, a text match's joint facet counts are made and then used.
      const searches = Array.from({ length: 200 }, () => ({
        words: random() < 0.5 ? [] : [pick(choices.words).slice(0, 4)],
        filters: randomFilters(),
      }));
      for (const { words, filters } of [...searches, ...searches, ...searches]) {
        const matched = new Set(
          index
            .search({ words, filters: {} }, { ...firstPage('name', members.length), facets: false })
            .hits.map((hit) => hit.member.id),
        );
        const expected = {} as Record<Facet, { value: string; count: number }[]>;
        for (const facet of Object.keys(facetValues(members[0])) as Facet[]) {
          const counts = new Map<string, number>();
          for (const m of members) {
            if (!matched.has(m.memberId) || !passes(m, filters, facet)) continue;
            for (const value of facetValues(m)[facet]) counts.set(value, (counts.get(value) ?? 0) + 1);
          }
          expected[facet] = [...counts]
            .map(([value, count]) => ({ value, count }))
            .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
        }
        const page = index.search({ words, filters }, { ...firstPage('name', 10), facets: true });
        expect({ words, filters, facets: page.facets }).toEqual({ words, filters, facets: expected });
      }
    });
  });

  describe('changes and pages', () => {
    const walk = (index: MemberIndex, sort: SortOrder, words: string[] = []): string[] => {
      const seen: string[] = [];
      let after: SortKey | null = null;
      for (;;) {
        const page = index.search({ words, filters: {} }, { sort, after, limit: 7, facets: false });
        seen.push(...page.hits.map((h) => h.member.id));
        if (!page.hasMore) return seen;
        after = page.hits[page.hits.length - 1].key;
      }
    };
    const everyone = Array.from({ length: 60 }, (_, i) =>
      member({
        legalName: `${['Šilas', 'Alfa', 'Ąžuolas', 'Beta'][i % 4]} ${i % 9}`,
        statement: `narys ${i % 3 === 0 ? 'pirmas' : 'kitas'}`,
        memberSince: `202${i % 5}-0${1 + (i % 8)}-1${i % 7}`,
      }),
    );

    it('answers the same after many small batches as after one (orders merged, slots reused)', () => {
      const once = new MemberIndex();
      once.apply(everyone, []);

      const stepwise = new MemberIndex();
      const gone = member({ legalName: 'Išnykęs 1' });
      stepwise.apply([gone, ...everyone.slice(0, 10)], []);
      for (let i = 10; i < everyone.length; i += 5) stepwise.apply(everyone.slice(i, i + 5), []);
      stepwise.apply([], [gone.memberId]);
      const renamed = { ...everyone[3], legalName: 'Laikinas' };
      stepwise.apply([renamed], []);
      stepwise.apply([everyone[3]], []);

      for (const sort of ['name', 'memberSince', '-memberSince'] as const) {
        expect(walk(stepwise, sort)).toEqual(walk(once, sort));
      }
      expect(walk(stepwise, 'relevance', ['narys'])).toEqual(walk(once, 'relevance', ['narys']));
      expect(names(stepwise, 'laikinas')).toEqual([]);
      expect(names(stepwise, 'isnykes')).toEqual([]);
      expect(stepwise.get(gone.memberId)).toBeUndefined();
      expect(stepwise.size).toBe(everyone.length);
    });

    it('walks every order without gaps or repeats, sorted', () => {
      const index = new MemberIndex();
      index.apply(everyone, []);
      const byId = new Map(everyone.map((m) => [m.memberId, m]));
      for (const sort of ['name', 'memberSince', '-memberSince', 'relevance'] as const) {
        const ids = walk(index, sort, sort === 'relevance' ? ['narys'] : []);
        expect(new Set(ids).size).toBe(everyone.length);
        const since = ids.map((id) => byId.get(id)!.memberSince);
        if (sort === 'memberSince') expect(since).toEqual([...since].sort());
        if (sort === '-memberSince') expect(since).toEqual([...since].sort().reverse());
      }
      // name order folds letters: Ą sorts with A, Š with S
      const first = index.search({ words: [], filters: {} }, firstPage('name', 60)).hits;
      expect(first.map((h) => profile(h.member).legalName.split(' ')[0])).toEqual([
        ...Array(15).fill('Alfa'),
        ...Array(15).fill('Ąžuolas'),
        ...Array(15).fill('Beta'),
        ...Array(15).fill('Šilas'),
      ]);
      const both = index.search({ words: ['narys', 'pirmas'], filters: {} }, firstPage()).hits;
      expect(both.map((h) => profile(h.member).statement)).toEqual(Array(20).fill('narys pirmas'));
    });

    it('shows only public fields, and the contact only with consent', () => {
      const index = new MemberIndex();
      const hidden = member();
      const shown = member({ contactConsent: true, contactPhone: '+37060000000' });
      index.apply([hidden, shown], []);
      expect(profile(index.get(hidden.memberId)).contact).toBeNull();
      expect(profile(index.get(shown.memberId)).contact).toEqual({
        name: 'Ona Onaitė',
        email: 'ona@example.lt',
        phone: '+37060000000',
      });
      expect(Object.keys(profile(index.get(shown.memberId)))).not.toContain('status');
    });
  });

  describe('visibility', () => {
    const entry = member({
      legalName: 'Matomumas UAB',
      contactConsent: true,
      contactPhone: '+37060000000',
      website: 'https://m.example',
      description: 'Aprašymas nariams.',
      statement: 'Pareiškimas visiems.',
      logoUrl: 'https://m.example/logo.png',
      visibility: {
        contactName: 'public',
        contactEmail: 'members',
        contactPhone: 'hidden',
        website: 'members',
        description: 'members',
        statement: 'public',
        logo: 'hidden',
      },
    });
    const index = new MemberIndex();
    index.apply([entry, member({ legalName: 'Numatytasis UAB' })], []);
    const as = (audience: 'public' | 'members') => JSON.parse(profileJsonFor(index.get(entry.memberId)!, audience));
    const found = (q: string, audience: 'public' | 'members') =>
      index.search({ words: queryTerms(q), filters: {}, audience }, firstPage()).hits.map((h) => h.member.id);

    it('shows each audience the fields it may see, null the others', () => {
      expect(as('public')).toMatchObject({
        website: null,
        description: null,
        statement: 'Pareiškimas visiems.',
        logoUrl: null,
        contact: { name: 'Ona Onaitė', email: null, phone: null },
      });
      expect(as('members')).toMatchObject({
        website: 'https://m.example',
        description: 'Aprašymas nariams.',
        statement: 'Pareiškimas visiems.',
        logoUrl: null,
        contact: { name: 'Ona Onaitė', email: 'ona@example.lt', phone: null },
      });
      expect(Object.keys(as('public'))).toEqual(Object.keys(as('members')));
    });

    it('keeps one profile for both audiences when nothing is for members only', () => {
      const plain = index.search({ words: queryTerms('numatytasis'), filters: {} }, firstPage()).hits[0].member;
      expect(plain.membersProfileJson).toBe(plain.profileJson);
    });

    it('the contact is null when none of its fields is shown; without consent whatever the choice', () => {
      const shy = member({ contactConsent: true, visibility: { contactName: 'hidden', contactEmail: 'members' } });
      const noConsent = member({
        contactConsent: false,
        visibility: { contactName: 'public', contactEmail: 'public' },
      });
      const other = new MemberIndex();
      other.apply([shy, noConsent], []);
      expect(JSON.parse(profileJsonFor(other.get(shy.memberId)!, 'public')).contact).toBeNull();
      expect(JSON.parse(profileJsonFor(other.get(shy.memberId)!, 'members')).contact).toEqual({
        name: null,
        email: 'ona@example.lt',
        phone: null,
      });
      for (const audience of ['public', 'members'] as const) {
        expect(JSON.parse(profileJsonFor(other.get(noConsent.memberId)!, audience)).contact).toBeNull();
      }
    });

    it('finds a member by text only where the audience sees it', () => {
      expect(found('aprašymas', 'public')).toEqual([]);
      expect(found('aprašymas', 'members')).toEqual([entry.memberId]);
      expect(found('pareiškimas', 'public')).toEqual([entry.memberId]);
      expect(found('matomumas nariams', 'public')).toEqual([]);
      // facets under a query count what the audience finds
      const facets = (audience: 'public' | 'members') =>
        index.search({ words: queryTerms('aprašymas'), filters: {}, audience }, { ...firstPage(), facets: true })
          .facets!;
      expect(facets('public').country).toEqual([]);
      expect(facets('members').country).toEqual([{ value: 'LT', count: 1 }]);
    });
  });
});
