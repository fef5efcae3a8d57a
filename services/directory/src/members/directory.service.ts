import { Injectable } from '@nestjs/common';
import { DirectoryErrorCode, DirectoryException } from '../errors/directory.exception';
import { IndexQuery } from '../search/index-snapshot';
import { MemberIndex } from '../search/member-index';
import { queryTerms } from '../search/search-text';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import { FacetsResponse } from './dto/directory-member.response';
import { FacetsQuery, ListMembersQuery, SortOrder } from './dto/list-members.query';

/**
 * Reads of the public directory, answered from this instance's MemberIndex: search with
 * filters and facets, profiles. Keyset pagination for every order (stable under inserts,
 * as fast at any depth); only listed members, only public fields, contact details only with
 * the member's consent (the index holds nothing else).
 *
 * Answers are JSON text in the shape of the response DTOs, assembled around the profiles the
 * index keeps serialized: serializing twenty profiles again per search was a third of its cost.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly index: MemberIndex) {}

  /** A DirectoryPageResponse as JSON text. */
  list(query: ListMembersQuery): string {
    const hasQuery = query.q !== undefined;
    const sort: SortOrder = query.sort ?? (hasQuery ? 'relevance' : 'name');
    if (sort === 'relevance' && !hasQuery) {
      throw new DirectoryException(DirectoryErrorCode.INVALID_SORT, 'sort=relevance needs a search query q', 'sort');
    }
    const { cursor, limit, facets, sort: _sort, ...criteria } = query;
    const fingerprint = queryFingerprint(criteria);
    const after = cursor === undefined ? null : decodeCursor(cursor, sort, fingerprint).key;
    const withFacets = facets !== 'false';
    const page = this.index.search(indexQuery(query), { sort, after, limit, facets: withFacets });
    const last = page.hits[page.hits.length - 1];
    const nextCursor = page.hasMore && last ? encodeCursor({ sort, key: last.key }, fingerprint) : null;
    const items = page.hits.map((hit) => hit.member.profileJson).join(',');
    const facetsJson = page.facets ? `,"facets":${JSON.stringify(page.facets satisfies FacetsResponse)}` : '';
    return `{"items":[${items}],"nextCursor":${JSON.stringify(nextCursor)},"total":${page.total}${facetsJson}}`;
  }

  /** A FacetsResponse as JSON text. */
  facets(query: FacetsQuery): string {
    const page = this.index.search(indexQuery(query), { sort: 'name', after: null, limit: 0, facets: true });
    return JSON.stringify(page.facets! satisfies FacetsResponse);
  }

  /** A DirectoryMemberResponse as JSON text. */
  profile(id: string): string {
    const member = this.index.get(id);
    if (!member) throw new DirectoryException(DirectoryErrorCode.MEMBER_NOT_LISTED, `no listed member ${id}`);
    return member.profileJson;
  }
}

function indexQuery(query: FacetsQuery): IndexQuery {
  const { q, ...filters } = query;
  return { words: q === undefined ? [] : queryTerms(q), filters };
}
