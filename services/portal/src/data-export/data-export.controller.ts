import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { pageContext } from '../http';
import { CoordinatorOnly, MemberOnly, SignedIn, SignedInPerson } from '../session';
import { UpstreamNames } from '../upstream';
import { ViewRenderer } from '../views';
import { collectExport, OrganisationExport } from './organisation-export';
import { toExportNode } from './export-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A member's data export (GDPR Articles 15 and 20): `/account/export` reads everything Valley
 * holds about the member's organisation, service by service, and `/account/export.json` downloads
 * it as one JSON document; `/console/members/:id/export(.json)` the same for a coordinator.
 */
@Controller()
export class DataExportController {
  constructor(private readonly views: ViewRenderer) {}

  @Get('account/export')
  @MemberOnly()
  async ownPage(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.page(await this.collect(person, null), { back: '/account', json: '/account/export.json' }, req, res);
  }

  @Get('account/export.json')
  @MemberOnly()
  async ownJson(@SignedIn() person: SignedInPerson, @Res() res: Response): Promise<void> {
    download(await this.collect(person, null), res);
  }

  @Get('console/members/:id/export')
  @CoordinatorOnly()
  async memberPage(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.collect(person, id);
    this.page(found, { back: `/console/members/${id}`, json: `/console/members/${id}/export.json` }, req, res);
  }

  @Get('console/members/:id/export.json')
  @CoordinatorOnly()
  async memberJson(@SignedIn() person: SignedInPerson, @Param('id') id: string, @Res() res: Response): Promise<void> {
    download(await this.collect(person, id), res);
  }

  private async collect(person: SignedInPerson, id: string | null): Promise<OrganisationExport> {
    if (id !== null && !UUID.test(id)) throw new NotFoundException();
    const found = await collectExport(person.apis, id);
    if (!found) throw new NotFoundException();
    return found;
  }

  private page(found: OrganisationExport, links: { back: string; json: string }, req: Request, res: Response): void {
    const legalName = (found.services.membership.member as { legalName?: string } | null)?.legalName ?? null;
    res.type('html').send(
      this.views.render('data-export', pageContext(req), {
        titleKey: 'dataExport.title',
        legalName,
        exportedAt: found.exportedAt,
        ...links,
        services: UpstreamNames.map((service) => ({
          service,
          parts: Object.entries(found.services[service]).map(([name, value]) => ({
            name,
            id: `${service}-${name}`,
            value: toExportNode(value),
          })),
        })),
      }),
    );
  }
}

function download(found: OrganisationExport, res: Response): void {
  res.type('application/json; charset=utf-8');
  res.attachment(`valley-export-${found.organisationId}-${found.exportedAt.slice(0, 10)}.json`);
  res.send(JSON.stringify(found, null, 2));
}
