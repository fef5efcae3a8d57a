import { FocusAreas, NACE_CODE_PATTERN, OrganisationTypes, SizeClasses } from '@valley/contracts';

/** The list filters of the directory page, named as the API's query parameters. */
export const ListFilters = ['sector', 'region', 'country', 'focusArea', 'organisationType', 'sizeClass'] as const;
export type ListFilter = (typeof ListFilters)[number];

export const PortalSorts = ['relevance', 'name', '-memberSince', 'memberSince'] as const;
export type PortalSort = (typeof PortalSorts)[number];

export const PAGE_SIZE = 20;
/** Cursors kept in the URL for the "previous" links; a deeper trail forgets its oldest pages. */
export const MAX_TRAIL = 50;

/**
 * The whole state of the directory page, as its URL holds it (shareable, works without
 * JavaScript): `q`, the list filters (repeatable: either value), `since` (a member-since year),
 * `sort`, and `p`, the trail of the API's `nextCursor`s that led to this page, joined by `.`
 * (base64url has no dots): the last one is this page's cursor, dropping it goes back a page.
 */
export interface DirectorySearch {
  q?: string;
  filters: Record<ListFilter, string[]>;
  since?: string;
  sort?: PortalSort;
  trail: string[];
}

const allowed: Record<ListFilter, (value: string) => boolean> = {
  sector: (v) => NACE_CODE_PATTERN.test(v),
  region: (v) => v.length <= 100,
  country: (v) => /^[A-Z]{2}$/.test(v),
  focusArea: (v) => (FocusAreas as readonly string[]).includes(v),
  organisationType: (v) => (OrganisationTypes as readonly string[]).includes(v),
  sizeClass: (v) => (SizeClasses as readonly string[]).includes(v),
};

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

function single(value: unknown): string | undefined {
  return list(value)[0];
}

/**
 * Reads the page's query string leniently: a value the directory would refuse (an unknown focus
 * area, a malformed cursor) is dropped rather than turned into an error page, so that an edited
 * or truncated URL still shows a directory.
 */
export function parseDirectorySearch(query: Record<string, unknown>): DirectorySearch {
  const q = single(query.q)?.trim().slice(0, 200);
  const filters = Object.fromEntries(
    ListFilters.map((name) => {
      const values = list(query[name])
        .map((v) => v.trim())
        .filter((v) => v !== '' && allowed[name](v));
      return [name, [...new Set(values)].slice(0, 20)];
    }),
  ) as Record<ListFilter, string[]>;
  const since = single(query.since);
  const sort = single(query.sort) as PortalSort | undefined;
  const hasQuery = q !== undefined && /[\p{L}\p{N}]/u.test(q);
  const trail = (single(query.p) ?? '')
    .split('.')
    .filter((c) => /^[A-Za-z0-9_-]{1,1000}$/.test(c))
    .slice(-MAX_TRAIL);
  return {
    ...(hasQuery ? { q } : {}),
    filters,
    ...(since && /^(19|20)\d{2}$/.test(since) ? { since } : {}),
    ...(sort && PortalSorts.includes(sort) && (sort !== 'relevance' || hasQuery) ? { sort } : {}),
    trail,
  };
}

/** The directory API's query for this page: `GET /members?…` with facets. */
export function apiQuery(search: DirectorySearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  for (const name of ListFilters) for (const value of search.filters[name]) params.append(name, value);
  if (search.since) {
    params.set('memberSinceFrom', `${search.since}-01-01`);
    params.set('memberSinceTo', `${search.since}-12-31`);
  }
  if (search.sort) params.set('sort', search.sort);
  params.set('limit', String(PAGE_SIZE));
  const cursor = search.trail[search.trail.length - 1];
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The portal URL of a search (a filter changed, a page turned). A changed search starts at its first page. */
export function portalUrl(search: DirectorySearch): string {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  for (const name of ListFilters) for (const value of search.filters[name]) params.append(name, value);
  if (search.since) params.set('since', search.since);
  if (search.sort) params.set('sort', search.sort);
  if (search.trail.length > 0) params.set('p', search.trail.join('.'));
  const text = params.toString();
  return text ? `/directory?${text}` : '/directory';
}

/** The same search without one value of a filter (the links that remove a filter), from page one. */
export function without(search: DirectorySearch, name: ListFilter | 'since' | 'q', value?: string): DirectorySearch {
  const next: DirectorySearch = { ...search, filters: { ...search.filters }, trail: [] };
  if (name === 'since') delete next.since;
  else if (name === 'q') {
    delete next.q;
    if (next.sort === 'relevance') delete next.sort;
  } else next.filters[name] = search.filters[name].filter((v) => v !== value);
  return next;
}

export function nextPage(search: DirectorySearch, nextCursor: string): DirectorySearch {
  return { ...search, trail: [...search.trail, nextCursor].slice(-MAX_TRAIL) };
}

export function previousPage(search: DirectorySearch): DirectorySearch | null {
  return search.trail.length === 0 ? null : { ...search, trail: search.trail.slice(0, -1) };
}

/** Whether any filter (not the text) narrows the search. */
export function hasFilters(search: DirectorySearch): boolean {
  return ListFilters.some((name) => search.filters[name].length > 0) || search.since !== undefined;
}

/** The search a profile was opened from (its `from`, a portal URL), read again as a search: "back" goes there. */
export function searchBack(from: unknown): string {
  if (typeof from !== 'string' || !from.startsWith('/directory')) return '/directory';
  const params = new URLSearchParams(from.slice('/directory'.length).replace(/^\?/, ''));
  const query: Record<string, string[]> = {};
  for (const [name, value] of params) (query[name] ??= []).push(value);
  return portalUrl(parseDirectorySearch(query));
}
