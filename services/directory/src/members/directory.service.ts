import { Injectable } from '@nestjs/common';
import { DirectoryErrorCode, DirectoryException } from '../errors/directory.exception';
import { Audience } from '../common/audience';
import { SortOrder } from '../common/sort-order';
import { IndexQuery, MemberIndex, profileJsonFor, queryTerms } from '../search';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import { FacetsQuery } from './dto/facets.query';
import { FacetsResponse } from './dto/facets.response';
import { ListMembersQuery } from './dto/list-members.query';

/**
 * Reads of the public directory, answered from this instance's MemberIndex: search with
 * filters and facets, profiles. Keyset pagination for every order (stable under inserts,
 * as fast at any depth); only listed members, and of each only the fields its audience sees
 * (`public` ones for the public, `members` ones too for members; contact details only with the
 * member's consent): text matches only where the audience sees it, profiles as it sees them.
 *
 * Answers are JSON text in the shape of the response DTOs, assembled around the profiles the
 * index keeps serialized: serializing twenty profiles again per search was a third of its cost.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly index: MemberIndex) {}

  /** A DirectoryPageResponse as JSON text. */
  list(query: ListMembersQuery, audience: Audience): string {
    const hasQuery = query.q !== undefined;
    const sort: SortOrder = query.sort ?? (hasQuery ? 'relevance' : 'name');
    if (sort === 'relevance' && !hasQuery) {
      throw new DirectoryException(DirectoryErrorCode.INVALID_SORT, 'sort=relevance needs a search query q', 'sort');
    }
    const { cursor, limit, facets, sort: _sort, ...criteria } = query;
    const fingerprint = queryFingerprint(criteria);
    const after = cursor === undefined ? null : decodeCursor(cursor, sort, fingerprint).key;
    const withFacets = facets !== 'false';
    const page = this.index.search(indexQuery(query, audience), { sort, after, limit, facets: withFacets });
    const last = page.hits[page.hits.length - 1];
    const nextCursor = page.hasMore && last ? encodeCursor({ sort, key: last.key }, fingerprint) : null;
    const items = page.hits.map((hit) => profileJsonFor(hit.member, audience)).join(',');
    const facetsJson = page.facets ? `,"facets":${JSON.stringify(page.facets satisfies FacetsResponse)}` : '';
    return `{"items":[${items}],"nextCursor":${JSON.stringify(nextCursor)},"total":${page.total}${facetsJson}}`;
  }

  /** A FacetsResponse as JSON text. */
  facets(query: FacetsQuery, audience: Audience): string {
    const page = this.index.search(indexQuery(query, audience), { sort: 'name', after: null, limit: 0, facets: true });
    return JSON.stringify(page.facets! satisfies FacetsResponse);
  }

  /** A DirectoryMemberResponse as JSON text. */
  profile(id: string, audience: Audience): string {
    const member = this.index.get(id);
    if (!member) throw new DirectoryException(DirectoryErrorCode.MEMBER_NOT_LISTED, `no listed member ${id}`);
    return profileJsonFor(member, audience);
  }
}

function indexQuery(query: FacetsQuery, audience: Audience): IndexQuery {
  const { q, ...filters } = query;
  return { words: q === undefined ? [] : queryTerms(q), filters, audience };
}
