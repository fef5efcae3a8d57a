// The search index's front door: what the HTTP read side (members/) asks of it.
export type {
  FacetCount,
  FacetCounts,
  IndexFilters,
  IndexPage,
  IndexQuery,
  PageRequest,
  SortKey,
} from './snapshot/index-snapshot';
export { profileJsonFor } from './indexed-member';
export { MemberIndex } from './member-index';
export { queryTerms } from './search-text';
export { SearchMetrics } from './search-metrics';
export { visibleProfile } from './indexed-member';
