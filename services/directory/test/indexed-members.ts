import { randomUUID } from 'node:crypto';
import { EntryState } from '../src/projection';
import { FacetNames, IndexDictionaries, IndexedMember, indexedMember } from '../src/search/indexed-member';
import { ValueDictionary, Vocabulary } from '../src/search/vocabulary';

/** A listed member's entry for the search index's unit tests; override any field. */
export function listedEntry(overrides: Partial<EntryState> = {}): EntryState {
  return {
    memberId: randomUUID(),
    status: 'active',
    listingConsent: true,
    contactConsent: false,
    legalName: 'Bendrovė UAB',
    country: 'LT',
    region: 'Kauno apskritis',
    organisationType: 'business',
    sizeClass: 'small',
    sectorCodes: ['C25.62'],
    focusAreas: ['innovation_technologies'],
    website: null,
    description: null,
    statement: null,
    logoUrl: null,
    contactName: null,
    contactEmail: null,
    contactPhone: null,
    membershipType: 'full',
    memberSince: '2022-05-01',
    visibility: {},
    lastEventAt: new Date('2022-05-01T10:00:00Z'),
    ...overrides,
  };
}

/** Entries as a snapshot gets them: by slot (undefined: a hole), with their dictionaries and live slots. */
export function indexed(entries: (EntryState | undefined)[]): {
  members: (IndexedMember | undefined)[];
  dictionaries: IndexDictionaries;
  live: number[];
  bitsWords: number;
} {
  const dictionaries: IndexDictionaries = {
    words: new Vocabulary(),
    values: FacetNames.map(() => new ValueDictionary()),
  };
  const members = entries.map((e) => (e ? indexedMember(e, dictionaries) : undefined));
  const live = members.flatMap((m, slot) => (m ? [slot] : []));
  return { members, dictionaries, live, bitsWords: Math.ceil(members.length / 32) || 1 };
}
