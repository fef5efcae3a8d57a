import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Cluster } from '../content';
import { Locale } from '../i18n';
import { Messages } from '../i18n';
import { localeOf, pageContext, visitorOf } from '../http';
import { DirectoryMember, DirectoryPage, DirectorySearchRefused, ServiceApis } from '../upstream';
import { UpstreamUnavailable } from '../upstream';
import { PortalSessions } from '../session';
import { ViewRenderer } from '../views';
import {
  apiQuery,
  DirectorySearch,
  nextPage,
  parseDirectorySearch,
  PortalSort,
  portalUrl,
  previousPage,
  searchBack,
  without,
} from './directory-search';
import { activeFilters, facetViews, hasFilters, Labels, sectorLabel } from './directory-view';

/** The public directory: search with filters and pages (`/directory`), a member's profile (`/directory/:id`). */
@Controller('directory')
export class DirectoryController {
  constructor(
    private readonly apis: ServiceApis,
    private readonly views: ViewRenderer,
    private readonly messages: Messages,
    private readonly cluster: Cluster,
    private readonly sessions: PortalSessions,
  ) {}

  /** A signed-in member's or coordinator's access token: they also see what members share with members. */
  private async bearerOf(req: Request, res: Response): Promise<string | undefined> {
    try {
      return (await this.sessions.current(req, res))?.accessToken;
    } catch (error) {
      // The session could not be renewed right now (membership or the provider away): the public view.
      if (error instanceof UpstreamUnavailable) return undefined;
      throw error;
    }
  }

  @Get()
  async search(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = localeOf(req);
    const search = parseDirectorySearch(query);
    let page: DirectoryPage | null = null;
    let unavailable = false;
    let refused = false;
    try {
      page = await this.apis.searchMembers(apiQuery(search), visitorOf(req), await this.bearerOf(req, res));
    } catch (error) {
      if (error instanceof UpstreamUnavailable) unavailable = true;
      else if (error instanceof DirectorySearchRefused) refused = true;
      else throw error;
    }
    const labels = this.labels(locale);
    const next = page?.nextCursor ? portalUrl(nextPage(search, page.nextCursor)) : null;
    const previous = previousPage(search);
    const from = portalUrl(search);
    res
      .status(unavailable ? 503 : 200)
      .type('html')
      .send(
        this.views.render('directory', pageContext(req), {
          titleKey: 'directory.title',
          scripts: ['js/directory.js'],
          search,
          sorts: this.sorts(search),
          unavailable,
          refused,
          page,
          members: (page?.items ?? []).map((m) => this.card(m, from)),
          facets: page ? facetViews(page, search, locale, labels) : [],
          active: activeFilters(search, locale, labels),
          filtered: hasFilters(search),
          clearQueryHref: search.q ? portalUrl(without(search, 'q')) : null,
          empty: page !== null && page.total === 0,
          pageNumber: search.trail.length + 1,
          nextHref: next,
          previousHref: previous ? portalUrl(previous) : null,
        }),
      );
  }

  @Get(':id')
  async profile(
    @Param('id') id: string,
    @Query('from') from: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const member = await this.apis.member(id, visitorOf(req), await this.bearerOf(req, res));
    if (!member) throw new NotFoundException();
    const back = searchBack(from);
    res.type('html').send(
      this.views.render('member', pageContext(req), {
        title: member.legalName,
        member,
        sectors: member.sectorCodes.map(sectorLabel),
        backHref: back,
      }),
    );
  }

  private card(member: DirectoryMember, from: string) {
    return {
      ...member,
      href: `/directory/${member.id}${from === '/directory' ? '' : `?from=${encodeURIComponent(from)}`}`,
      sectors: member.sectorCodes.map(sectorLabel),
    };
  }

  /**
   * The sort choices. The first has no value: the API's default, best match with words, else by
   * name (and says which), so that words typed into a search sorted by default sort by relevance.
   */
  private sorts(search: DirectorySearch) {
    const chosen = search.sort === 'relevance' ? undefined : search.sort;
    const explicit = (
      search.q ? ['name', '-memberSince', 'memberSince'] : ['-memberSince', 'memberSince']
    ) as PortalSort[];
    return [
      {
        value: '',
        key: `directory.sort.${search.q ? 'relevance' : 'name'}`,
        selected: chosen === undefined || (!search.q && chosen === 'name'),
      },
      ...explicit.map((sort) => ({ value: sort, key: `directory.sort.${sort}`, selected: sort === chosen })),
    ];
  }

  private labels(locale: Locale): Labels {
    return {
      focusArea: (key) => this.cluster.focusAreaTitle(locale, key),
      organisationType: (key) => this.messages.t(locale, `vocab.organisationType.${key}`),
      sizeClass: (key) => this.messages.t(locale, `vocab.sizeClass.${key}`),
      facet: (name) => this.messages.t(locale, `directory.facet.${name}`),
    };
  }
}
