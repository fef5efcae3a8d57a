import { Controller, Get, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { PortalCsrf, pageContext } from '../http';
import { CoordinatorOnly, SignedIn, SignedInPerson } from '../session';
import { ViewRenderer } from '../views';

/** The console's sections (each built by its own page family under /console). */
export const CONSOLE_SECTIONS = [
  { key: 'review', href: '/console/review' },
  { key: 'members', href: '/console/members' },
  { key: 'import', href: '/console/import' },
  { key: 'emails', href: '/console/emails' },
  { key: 'reports', href: '/console/reports' },
] as const;

/** `/console`: the coordinators' landing page, linking to the sections. */
@Controller('console')
@CoordinatorOnly()
export class ConsoleController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
  ) {}

  @Get()
  console(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): void {
    res.type('html').send(
      this.views.render('console', pageContext(req, this.csrf.token(req, res)), {
        titleKey: 'console.title',
        who: person.session.name ?? person.session.email ?? person.session.subject,
        sections: CONSOLE_SECTIONS,
      }),
    );
  }
}
