/**
 * The orders the directory lists members in: what `GET /members?sort=` accepts, what a cursor
 * carries and what the search index pages by.
 */
export const SortOrders = ['relevance', 'name', 'memberSince', '-memberSince'] as const;
export type SortOrder = (typeof SortOrders)[number];
