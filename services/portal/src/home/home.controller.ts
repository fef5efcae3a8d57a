import { Controller, Get, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { pageContext, visitorOf } from '../http';
import { DirectoryPage, ServiceApis } from '../upstream';
import { UpstreamUnavailable } from '../upstream';
import { ViewRenderer } from '../views';

/** `/`: the cluster (from the content files), how many members the directory lists, the newest, a way to apply. */
@Controller()
export class HomeController {
  constructor(
    private readonly apis: ServiceApis,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    let newest: DirectoryPage | null = null;
    try {
      newest = await this.apis.searchMembers(
        new URLSearchParams({ sort: '-memberSince', limit: '4', facets: 'false' }),
        visitorOf(req),
      );
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
    }
    res.type('html').send(
      this.views.render('home', pageContext(req), {
        titleKey: 'home.title',
        directoryUnavailable: newest === null,
        memberCount: newest?.total,
        newest: newest?.items ?? [],
      }),
    );
  }
}
