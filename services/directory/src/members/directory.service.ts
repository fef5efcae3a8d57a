import { Injectable } from '@nestjs/common';
import { DirectoryErrorCode, DirectoryException } from '../errors/directory.exception';
import { IndexQuery } from '../search/index-snapshot';
import { MemberIndex } from '../search/member-index';
import { queryTerms } from '../search/search-text';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import { DirectoryMemberResponse, DirectoryPageResponse, FacetsResponse } from './dto/directory-member.response';
import { FacetsQuery, ListMembersQuery, SortOrder } from './dto/list-members.query';

/**
 * Reads of the public directory, answered from this instance's MemberIndex: search with
 * filters and facets, profiles. Keyset pagination for every order (stable under inserts,
 * as fast at any depth); only listed members, only public fields, contact details only with
 * the member's consent (the index holds nothing else).
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly index: MemberIndex) {}

  list(query: ListMembersQuery): DirectoryPageResponse {
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
    return {
      items: page.hits.map((hit) => hit.member.profile),
      nextCursor: page.hasMore && last ? encodeCursor({ sort, key: last.key }, fingerprint) : null,
      total: page.total,
      ...(page.facets ? { facets: page.facets } : {}),
    };
  }

  facets(query: FacetsQuery): FacetsResponse {
    return this.index.search(indexQuery(query), { sort: 'name', after: null, limit: 0, facets: true }).facets!;
  }

  profile(id: string): DirectoryMemberResponse {
    const member = this.index.get(id);
    if (!member) throw new DirectoryException(DirectoryErrorCode.MEMBER_NOT_LISTED, `no listed member ${id}`);
    return member.profile;
  }
}

function indexQuery(query: FacetsQuery): IndexQuery {
  const { q, ...filters } = query;
  return { words: q === undefined ? [] : queryTerms(q), filters };
}
