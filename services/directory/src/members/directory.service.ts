import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryErrorCode, DirectoryException } from '../errors/directory.exception';
import { Cursor, decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import { DirectoryEntry } from './directory-entry.entity';
import { buildCriteria, conditions, FacetName, FacetNames, SearchCriteria, SqlParams } from './directory-query';
import {
  DirectoryMemberResponse,
  DirectoryPageResponse,
  FacetsResponse,
  FacetValueResponse,
} from './dto/directory-member.response';
import { FacetsQuery, ListMembersQuery, SortOrder } from './dto/list-members.query';
import { ReadCache } from './read-cache';

/** Typo tolerance of name matches (pg_trgm word similarity; its default 0.6 misses one-letter typos). */
const WORD_SIMILARITY_THRESHOLD = 0.4;

/** What a public answer may show (read as JSON: dates come out as YYYY-MM-DD). */
const PUBLIC_COLUMNS = `e.member_id, e.legal_name, e.sort_name, e.country, e.region, e.organisation_type,
  e.size_class, e.sector_codes, e.focus_areas, e.website, e.description, e.statement, e.logo_url,
  e.contact_consent, e.contact_name, e.contact_email, e.contact_phone, e.membership_type, e.member_since`;

interface PublicRow {
  member_id: string;
  legal_name: string;
  sort_name: string;
  country: string;
  region: string;
  organisation_type: string;
  size_class: string;
  sector_codes: string[];
  focus_areas: string[];
  website: string | null;
  description: string | null;
  statement: string | null;
  logo_url: string | null;
  contact_consent: boolean;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  membership_type: string;
  member_since: string;
  score?: string;
}

/**
 * Reads of the public directory: search with filters and facets, profiles. Keyset pagination
 * for every order (stable under inserts, fast at any depth); only listed members, only public
 * fields, contact details only with the member's consent.
 */
@Injectable()
export class DirectoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {}

  private get table(): string {
    return this.dataSource.getMetadata(DirectoryEntry).tablePath;
  }

  list(query: ListMembersQuery): Promise<DirectoryPageResponse> {
    return this.cache.get(`list:${JSON.stringify(query)}`, () => this.search(query));
  }

  facets(query: FacetsQuery): Promise<FacetsResponse> {
    return this.cache.get(`facets:${JSON.stringify(query)}`, () => this.countFacets(query));
  }

  private async search(query: ListMembersQuery): Promise<DirectoryPageResponse> {
    const hasQuery = query.q !== undefined;
    const sort: SortOrder = query.sort ?? (hasQuery ? 'relevance' : 'name');
    if (sort === 'relevance' && !hasQuery) {
      throw new DirectoryException(DirectoryErrorCode.INVALID_SORT, 'sort=relevance needs a search query q', 'sort');
    }
    const { cursor: rawCursor, limit, facets: withFacets, sort: _sort, ...criteriaParts } = query;
    const fingerprint = queryFingerprint(criteriaParts);
    const after = rawCursor === undefined ? null : decodeCursor(rawCursor, sort, fingerprint);

    // One statement: the page and (unless asked not to) the facet counts, as JSON. With a text
    // query, the matching rows are read once (into `m`) for both.
    const params = new SqlParams();
    const criteria = buildCriteria(query, this.table, params);
    const facets = withFacets !== 'false';
    const ctes = criteria.text
      ? [...this.matchedCtes(criteria), `items AS (${this.pageSql(criteria, params, sort, after, limit)})`]
      : [
          `items AS (${this.pageSql(criteria, params, sort, after, limit)})`,
          ...(facets ? this.matchedCtes(criteria) : []),
        ];
    if (facets) ctes.push(this.facetsCte(criteria));
    const [order] = ORDER_BY[sort];
    const [row]: { items: PublicRow[]; facets: FacetRow[] | null }[] = await this.read(hasQuery, (manager) =>
      manager.query(
        `WITH ${ctes.join(',\n')}
         SELECT (SELECT coalesce(json_agg(i ORDER BY ${order('i')}), '[]'::json) FROM items i) AS items,
                ${facets ? `(SELECT coalesce(json_agg(f), '[]'::json) FROM facets f)` : 'NULL'} AS facets`,
        params.values,
      ),
    );
    const page = row.items.slice(0, limit);
    const last = page[page.length - 1];
    const response: DirectoryPageResponse = {
      items: page.map(toPublicMember),
      nextCursor:
        row.items.length > limit && last ? encodeCursor({ sort, key: sortKey(sort, last) }, fingerprint) : null,
    };
    if (row.facets) Object.assign(response, groupFacets(row.facets));
    return response;
  }

  private async countFacets(query: FacetsQuery): Promise<FacetsResponse> {
    const params = new SqlParams();
    const criteria = buildCriteria(query, this.table, params);
    const ctes = [...this.matchedCtes(criteria), this.facetsCte(criteria)];
    const rows: FacetRow[] = await this.read(query.q !== undefined, (manager) =>
      manager.query(`WITH ${ctes.join(',\n')} SELECT * FROM facets`, params.values),
    );
    return groupFacets(rows).facets;
  }

  async profile(id: string): Promise<DirectoryMemberResponse> {
    return this.cache.get(`profile:${id}`, async () => {
      const rows: { member: PublicRow }[] = await this.dataSource.query(
        `SELECT to_json(x) AS member FROM (SELECT ${PUBLIC_COLUMNS} FROM ${this.table} e
          WHERE e.member_id = $1 AND e.listed) x`,
        [id],
      );
      if (rows.length === 0) {
        throw new DirectoryException(DirectoryErrorCode.MEMBER_NOT_LISTED, `no listed member ${id}`);
      }
      return toPublicMember(rows[0].member);
    });
  }

  /** Text searches run in a transaction with the typo threshold set; the rest without one. */
  private read<T>(textSearch: boolean, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!textSearch) return work(this.dataSource.manager);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
      return work(manager);
    });
  }

  /** One page (plus one row, to know whether there is a next) after the cursor, in the sort order. */
  private pageSql(
    criteria: SearchCriteria,
    params: SqlParams,
    sort: SortOrder,
    after: Cursor | null,
    limit: number,
  ): string {
    const [order, keyset] = ORDER_BY[sort];
    const filter = after ? ` AND ${keyset(params.add(after.key[0]), params.add(after.key[1]))}` : '';
    const take = params.add(limit + 1);
    if (!criteria.text) {
      return `SELECT ${PUBLIC_COLUMNS} FROM ${this.table} e WHERE ${conditions(criteria)}${filter}
              ORDER BY ${order('e')} LIMIT ${take}`;
    }
    // With a text query: the matched rows `m` that pass every filter; relevance is computed for
    // those only (not for every match), then the keyset applies.
    const score = sort === 'relevance' ? `, ${criteria.score} AS score` : '';
    return `SELECT * FROM (
              SELECT ${PUBLIC_COLUMNS}${score} FROM ${this.table} e
               WHERE e.member_id IN (SELECT member_id FROM m WHERE ${flagsExcept(criteria)})) e
             WHERE true${filter} ORDER BY ${order('e')} LIMIT ${take}`;
  }

  /**
   * `m`: the listed rows matching the text query (all listed rows without one), with what the
   * facets count and a flag per filter, read straight from the GIN index scans. Full text first;
   * only when it finds nothing, names similar to the query (how typos still find).
   */
  private matchedCtes(criteria: SearchCriteria): string[] {
    const flags = FacetNames.filter((n) => criteria.filters[n])
      .map((n) => `, (${criteria.filters[n]}) AS f_${n}`)
      .join('');
    const select = `SELECT e.member_id, e.sector_prefixes, e.region, e.country, e.focus_areas, e.organisation_type,
                           e.size_class, e.member_since${flags} FROM ${this.table} e WHERE e.listed`;
    if (!criteria.text) return [`m AS MATERIALIZED (${select})`];
    return [
      `fts AS MATERIALIZED (${select} AND ${criteria.text.full})`,
      `m AS MATERIALIZED (SELECT * FROM fts
         UNION ALL ${select} AND NOT EXISTS (SELECT 1 FROM fts) AND ${criteria.text.similar})`,
    ];
  }

  /**
   * Facet counts over `m`: each facet counts the rows that pass every other filter but not its
   * own (so that a portal can show how many more it would get by widening one filter).
   */
  private facetsCte(criteria: SearchCriteria): string {
    const facet = (name: FacetName, value: string, from = 'm', extra = '') =>
      `SELECT '${name}' AS facet, ${value} AS value, count(*)::int AS count
         FROM ${from} WHERE ${flagsExcept(criteria, name)}${extra} GROUP BY 2`;
    return `facets AS (
         SELECT 'total' AS facet, '' AS value, count(*)::int AS count FROM m WHERE ${flagsExcept(criteria)}
         UNION ALL ${facet('sector', 'p', 'm CROSS JOIN LATERAL unnest(m.sector_prefixes) p', ' AND length(p) <= 3')}
         UNION ALL ${facet('region', 'region')}
         UNION ALL ${facet('country', 'country::text')}
         UNION ALL ${facet('focusArea', 'f', 'm CROSS JOIN LATERAL unnest(m.focus_areas) f')}
         UNION ALL ${facet('organisationType', 'organisation_type')}
         UNION ALL ${facet('sizeClass', 'size_class')}
         UNION ALL ${facet('memberSinceYear', 'left(member_since::text, 4)')})`;
  }
}

/** The flags of `m` for every filter in use but `except`. */
function flagsExcept(criteria: SearchCriteria, except?: FacetName): string {
  return (
    FacetNames.filter((n) => n !== except && criteria.filters[n])
      .map((n) => `f_${n}`)
      .join(' AND ') || 'true'
  );
}

interface FacetRow {
  facet: FacetName | 'total';
  value: string;
  count: number;
}

function groupFacets(rows: FacetRow[]): { total: number; facets: FacetsResponse } {
  const facets = Object.fromEntries(FacetNames.map((n) => [n, [] as FacetValueResponse[]])) as unknown as Record<
    FacetName,
    FacetValueResponse[]
  >;
  let total = 0;
  for (const row of rows) {
    if (row.facet === 'total') total = row.count;
    else facets[row.facet].push({ value: row.value, count: row.count });
  }
  for (const name of FacetNames) {
    facets[name].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  return { total, facets };
}

/** Per sort order: ORDER BY over an alias, and the keyset condition "after (value, id)". */
const ORDER_BY: Record<SortOrder, [(alias: string) => string, (value: string, id: string) => string]> = {
  relevance: [
    (a) => `${a}.score DESC, ${a}.member_id ASC`,
    (v, id) => `(e.score < ${v}::bigint OR (e.score = ${v}::bigint AND e.member_id > ${id}::uuid))`,
  ],
  name: [
    (a) => `${a}.sort_name ASC, ${a}.member_id ASC`,
    (v, id) => `(e.sort_name, e.member_id) > (${v}, ${id}::uuid)`,
  ],
  memberSince: [
    (a) => `${a}.member_since ASC, ${a}.member_id ASC`,
    (v, id) => `(e.member_since, e.member_id) > (${v}::date, ${id}::uuid)`,
  ],
  '-memberSince': [
    (a) => `${a}.member_since DESC, ${a}.member_id DESC`,
    (v, id) => `(e.member_since, e.member_id) < (${v}::date, ${id}::uuid)`,
  ],
};

function sortKey(sort: SortOrder, row: PublicRow): Cursor['key'] {
  switch (sort) {
    case 'relevance':
      return [Number(row.score), row.member_id];
    case 'name':
      return [row.sort_name, row.member_id];
    default:
      return [row.member_since.slice(0, 10), row.member_id];
  }
}

function toPublicMember(e: PublicRow): DirectoryMemberResponse {
  return {
    id: e.member_id,
    legalName: e.legal_name,
    country: e.country,
    region: e.region,
    organisationType: e.organisation_type,
    sizeClass: e.size_class,
    sectorCodes: e.sector_codes,
    focusAreas: e.focus_areas,
    website: e.website,
    description: e.description,
    statement: e.statement,
    logoUrl: e.logo_url,
    contact:
      e.contact_consent && e.contact_name && e.contact_email
        ? { name: e.contact_name, email: e.contact_email, phone: e.contact_phone }
        : null,
    membershipType: e.membership_type,
    memberSince: e.member_since,
  };
}
