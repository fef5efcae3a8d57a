import { DirectoryMemberResponse } from '../members/dto/directory-member.response';
import { EntryState } from '../members/entry-state';
import { foldText, sectorPrefixes } from './search-text';
import { ValueDictionary, Vocabulary } from './vocabulary';

/** The filters of the directory, which are also its facets, in the order answers list them. */
export const FacetNames = [
  'sector',
  'region',
  'country',
  'focusArea',
  'organisationType',
  'sizeClass',
  'memberSinceYear',
] as const;
export type FacetName = (typeof FacetNames)[number];

/** Where a word occurs in a member's text, as bits (a word may occur in several fields). */
export const TextField = { name: 1, statement: 2, description: 4 } as const;

/** The dictionaries an IndexedMember's ids refer to: one vocabulary, one value dictionary per facet. */
export interface IndexDictionaries {
  words: Vocabulary;
  values: readonly ValueDictionary[];
}

/** A listed member as the search index keeps it: its public answer and what search needs, as ids. */
export interface IndexedMember {
  id: string;
  /**
   * The public profile as JSON text, serialized once (answers are assembled from it, not
   * serialized again per search): public fields only, the contact only with consent.
   */
  profileJson: string;
  /** The name folded (lower case, no diacritics): the name order, so that Š sorts with S. */
  sortName: string;
  /** YYYY-MM-DD */
  memberSince: string;
  /** The keys of the name and member-since orders: ties go by id, so every order is total. */
  nameKey: string;
  sinceKey: string;
  /** The folded words of name, statement and description, and the TextField bits of each. */
  wordIds: Int32Array;
  wordFields: Uint8Array;
  /**
   * Per facet f, the ids of its values at valueIds[valueStart[f] .. valueStart[f + 1]): for
   * `sector` every NACE level of every code (C26.11 → C, C26, C26.1, C26.11; facets count only
   * sections and divisions), for `memberSinceYear` the year (its filter is the memberSince range).
   */
  valueIds: Int32Array;
  valueStart: Uint8Array;
}

export function indexedMember(state: EntryState, dictionaries: IndexDictionaries): IndexedMember {
  const words = new Map<number, number>();
  const addWords = (text: string | null, field: number) => {
    for (const word of foldText(text ?? '').match(/[\p{L}\p{N}]+/gu) ?? []) {
      const id = dictionaries.words.id(word);
      words.set(id, (words.get(id) ?? 0) | field);
    }
  };
  addWords(state.legalName, TextField.name);
  addWords(state.statement, TextField.statement);
  addWords(state.description, TextField.description);

  const values: Record<FacetName, readonly string[]> = {
    sector: sectorPrefixes(state.sectorCodes),
    region: [state.region],
    country: [state.country],
    focusArea: state.focusAreas,
    organisationType: [state.organisationType],
    sizeClass: [state.sizeClass],
    memberSinceYear: [state.memberSince.slice(0, 4)],
  };
  const valueIds: number[] = [];
  const valueStart = new Uint8Array(FacetNames.length + 1);
  FacetNames.forEach((name, f) => {
    valueStart[f] = valueIds.length;
    for (const value of values[name]) valueIds.push(dictionaries.values[f].id(value));
  });
  valueStart[FacetNames.length] = valueIds.length;

  return {
    id: state.memberId,
    profileJson: JSON.stringify(publicProfile(state)),
    sortName: foldText(state.legalName),
    memberSince: state.memberSince,
    nameKey: `${foldText(state.legalName)}\u0000${state.memberId}`,
    sinceKey: `${state.memberSince}\u0000${state.memberId}`,
    wordIds: Int32Array.from(words.keys()),
    wordFields: Uint8Array.from(words.values()),
    valueIds: Int32Array.from(valueIds),
    valueStart,
  };
}

function publicProfile(s: EntryState): DirectoryMemberResponse {
  return {
    id: s.memberId,
    legalName: s.legalName,
    country: s.country,
    region: s.region,
    organisationType: s.organisationType,
    sizeClass: s.sizeClass,
    sectorCodes: s.sectorCodes,
    focusAreas: s.focusAreas,
    website: s.website,
    description: s.description,
    statement: s.statement,
    logoUrl: s.logoUrl,
    contact:
      s.contactConsent && s.contactName && s.contactEmail
        ? { name: s.contactName, email: s.contactEmail, phone: s.contactPhone }
        : null,
    membershipType: s.membershipType,
    memberSince: s.memberSince,
  };
}
