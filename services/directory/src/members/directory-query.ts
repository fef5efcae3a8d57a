import { DirectoryFilters, FacetsQuery } from './dto/list-members.query';
import { foldText, prefixTsQuery, queryTerms } from './search-text';

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

/** Positional parameters of one SQL statement. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The parts of a directory search, as SQL over the alias `e`: the text match (full text with
 * prefixes, or trigram similarity of the name for typos) and one condition per filter, kept
 * apart so that each facet can be counted under the other filters but not its own.
 */
export interface SearchCriteria {
  /**
   * The text match without `q`: `full` (full text, every word also as a prefix) and `similar`
   * (trigram word similarity to the name, for typos), each answered by its GIN index.
   */
  text: { full: string; similar: string } | null;
  /** Relevance as an integer (for exact keyset comparisons), or null without `q`. */
  score: string | null;
  filters: Partial<Record<FacetName, string>>;
}

export function buildCriteria(query: FacetsQuery, table: string, params: SqlParams): SearchCriteria {
  const filters: Partial<Record<FacetName, string>> = {};
  const f: DirectoryFilters = query;
  if (f.sector?.length) filters.sector = `e.sector_prefixes && ${params.add(f.sector)}::text[]`;
  if (f.region?.length) filters.region = `e.region = ANY(${params.add(f.region)}::text[])`;
  if (f.country?.length) {
    filters.country = `e.country = ANY(${params.add(f.country.map((c) => c.toUpperCase()))}::bpchar[])`;
  }
  if (f.focusArea?.length) filters.focusArea = `e.focus_areas && ${params.add(f.focusArea)}::text[]`;
  if (f.organisationType?.length) {
    filters.organisationType = `e.organisation_type = ANY(${params.add(f.organisationType)}::text[])`;
  }
  if (f.sizeClass?.length) filters.sizeClass = `e.size_class = ANY(${params.add(f.sizeClass)}::text[])`;
  const since: string[] = [];
  if (f.memberSinceFrom) since.push(`e.member_since >= ${params.add(f.memberSinceFrom)}::date`);
  if (f.memberSinceTo) since.push(`e.member_since <= ${params.add(f.memberSinceTo)}::date`);
  if (since.length) filters.memberSinceYear = since.join(' AND ');

  const terms = query.q === undefined ? [] : queryTerms(query.q);
  if (terms.length === 0) return { text: null, score: null, filters };
  const tsquery = `to_tsquery('simple', ${params.add(prefixTsQuery(terms))})`;
  const folded = params.add(foldText(terms.join(' ')));
  return {
    text: { full: `e.search_vector @@ ${tsquery}`, similar: `e.search_name %> ${folded}` },
    score: `round((ts_rank(e.search_vector, ${tsquery}) + word_similarity(${folded}, e.search_name)) * 1000000)::bigint`,
    filters,
  };
}

/** Every condition of the criteria (but the one of `except`), for rows of alias `e`. */
export function conditions(criteria: SearchCriteria, except?: FacetName): string {
  const parts = ['e.listed'];
  if (criteria.text) parts.push(`(${criteria.text.full} OR ${criteria.text.similar})`);
  for (const name of FacetNames) {
    const condition = criteria.filters[name];
    if (condition && name !== except) parts.push(`(${condition})`);
  }
  return parts.join(' AND ');
}
