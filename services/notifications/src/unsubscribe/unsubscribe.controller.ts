import { Controller, Get, Header, HttpCode, HttpStatus, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { NotificationsExceptionFilter } from '../errors/notifications-exception.filter';
import { UnsubscribeQuery } from './dto/unsubscribe.query';
import { UnsubscribedResponse } from './dto/unsubscribed.response';
import { UnsubscribeService } from './unsubscribe.service';

/**
 * The link in every announcement. GET shows a page with a button, so that mail scanners that
 * follow links do not unsubscribe anyone; the button, and mail clients' one-click unsubscribe
 * (RFC 8058, `List-Unsubscribe-Post`), POST to the same URL, which records it.
 */
@ApiTags('unsubscribe')
@Controller('unsubscribe')
@UseFilters(NotificationsExceptionFilter)
@ApiBadRequestResponse({ description: 'The token is missing or malformed; `fields` names it.' })
@ApiForbiddenResponse({ description: 'The token was forged or altered. Nothing changed.' })
export class UnsubscribeController {
  constructor(private readonly unsubscribes: UnsubscribeService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The page behind an unsubscribe link: a button that confirms (public, signed link).' })
  @ApiOkResponse({ description: 'An HTML page.' })
  page(@Query() query: UnsubscribeQuery): string {
    this.unsubscribes.check(query.token);
    return confirmationPage(query.token);
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stops announcements to the address of the signed link, and records it (public).' })
  @ApiOkResponse({ type: UnsubscribedResponse })
  async unsubscribe(@Query() query: UnsubscribeQuery): Promise<UnsubscribedResponse> {
    const { unsubscribedAt } = await this.unsubscribes.unsubscribe(query.token);
    return { unsubscribed: true, unsubscribedAt: new Date(unsubscribedAt).toISOString() };
  }
}

function confirmationPage(token: string): string {
  // The token matched UNSUBSCRIBE_TOKEN_PATTERN ([A-Za-z0-9_.-]): safe inside an attribute.
  return `<!doctype html>
<html lang="lt">
  <head><meta charset="utf-8"><title>Production Innovation Valley</title></head>
  <body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1d2a33; max-width: 40em; margin: 2em auto">
    <h1>Gamybos inovacijų slėnis / Production Innovation Valley</h1>
    <form method="post" action="?token=${token}">
      <p>Nebenorite gauti klasterio pranešimų? / Do you no longer want the cluster's announcements?</p>
      <button type="submit">Atsisakyti pranešimų / Unsubscribe</button>
    </form>
  </body>
</html>
`;
}
