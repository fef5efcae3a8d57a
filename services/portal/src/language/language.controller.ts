import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { isLocale } from '../i18n';
import { PortalCookies } from '../http';
import { safeNext } from '../http';

/**
 * The language switch: a plain link (works without JavaScript) that remembers the choice in a
 * cookie, then goes back to the page it came from (a path on this site only).
 */
@Controller('language')
export class LanguageController {
  constructor(private readonly cookies: PortalCookies) {}

  @Get(':locale')
  switch(@Param('locale') locale: string, @Query('next') next: unknown, @Res() res: Response): void {
    if (!isLocale(locale)) throw new NotFoundException();
    this.cookies.setLanguage(res, locale);
    res.redirect(303, safeNext(next));
  }
}
