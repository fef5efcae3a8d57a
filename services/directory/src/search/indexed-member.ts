import { effectiveVisibility, VisibleField, VisibleFields } from '@valley/contracts';
import { Audience, shownTo } from '../common/audience';
import { ListedMember } from '../common/listed-member';
import { EntryState } from '../projection';
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

/**
 * Where a word occurs in a member's text, as bits (a word may occur in several fields): the low
 * three bits where the public sees it, the same three shifted by MEMBERS_ONLY_SHIFT where only
 * members do (a statement or description of visibility `members`). Words of a `hidden` field are
 * not indexed at all: nobody finds a member by them.
 */
export const TextField = { name: 1, statement: 2, description: 4 } as const;
export const MEMBERS_ONLY_SHIFT = 3;
/** The TextField bits an audience's searches match on. */
export const TEXT_FIELDS_SEEN: Record<Audience, number> = {
  public: 0b000111,
  members: 0b111111,
};

/** The dictionaries an IndexedMember's ids refer to: one vocabulary, one value dictionary per facet. */
export interface IndexDictionaries {
  words: Vocabulary;
  values: readonly ValueDictionary[];
}

/** A listed member as the search index keeps it: its public answer and what search needs, as ids. */
export interface IndexedMember {
  id: string;
  /**
   * The profile as the public sees it, as JSON text, serialized once (answers are assembled from
   * it, not serialized again per search): only the fields whose visibility is `public`.
   */
  profileJson: string;
  /**
   * The profile as signed-in members (and coordinators) see it: also the `members` fields. The
   * very same string as profileJson when the member shows nothing to members only.
   */
  membersProfileJson: string;
  /** The name folded (lower case, no diacritics): the name order, so that Š sorts with S. */
  sortName: string;
  /** YYYY-MM-DD */
  memberSince: string;
  /** The keys of the name and member-since orders: ties go by id, so every order is total. */
  nameKey: string;
  sinceKey: string;
  /**
   * The folded words of name, statement and description that someone may see, and the TextField
   * bits of each (public and members-only places apart).
   */
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
    if (field === 0) return;
    for (const word of foldText(text ?? '').match(/[\p{L}\p{N}]+/gu) ?? []) {
      const id = dictionaries.words.id(word);
      words.set(id, (words.get(id) ?? 0) | field);
    }
  };
  addWords(state.legalName, TextField.name);
  addWords(state.statement, textBits(state, 'statement', TextField.statement));
  addWords(state.description, textBits(state, 'description', TextField.description));

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

  const profileJson = JSON.stringify(visibleProfile(state, 'public'));
  const membersOnly = VisibleFields.some((field) => visibilityOf(state, field) === 'members');
  return {
    id: state.memberId,
    profileJson,
    membersProfileJson: membersOnly ? JSON.stringify(visibleProfile(state, 'members')) : profileJson,
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

/** A member's profile as JSON text, as the audience sees it. */
export function profileJsonFor(member: IndexedMember, audience: Audience): string {
  return audience === 'members' ? member.membersProfileJson : member.profileJson;
}

/** Who sees a field of this entry: the member's choice under its consent (the contracts' rule). */
export function visibilityOf(s: EntryState, field: VisibleField) {
  return effectiveVisibility(field, s.visibility, { publicContact: s.contactConsent });
}

/** Where a text field's words go: public bits, members-only bits, or nowhere (hidden). */
function textBits(s: EntryState, field: 'statement' | 'description', bit: number): number {
  const visibility = visibilityOf(s, field);
  return visibility === 'public' ? bit : visibility === 'members' ? bit << MEMBERS_ONLY_SHIFT : 0;
}

/**
 * The listed member as the audience sees it: a field not shown to it is null, as the contact is
 * without consent (the response keeps its shape); the contact is null when none of its name,
 * email and phone is shown.
 */
export function visibleProfile(s: EntryState, audience: Audience): ListedMember {
  const shown = <T>(field: VisibleField, value: T | null): T | null =>
    shownTo(visibilityOf(s, field), audience) ? value : null;
  const name = shown('contactName', s.contactName);
  const email = shown('contactEmail', s.contactEmail);
  const phone = shown('contactPhone', s.contactPhone);
  return {
    id: s.memberId,
    legalName: s.legalName,
    country: s.country,
    region: s.region,
    organisationType: s.organisationType,
    sizeClass: s.sizeClass,
    sectorCodes: s.sectorCodes,
    focusAreas: s.focusAreas,
    website: shown('website', s.website),
    description: shown('description', s.description),
    statement: shown('statement', s.statement),
    logoUrl: shown('logo', s.logoUrl),
    contact: name !== null || email !== null || phone !== null ? { name, email, phone } : null,
    membershipType: s.membershipType,
    memberSince: s.memberSince,
  };
}
