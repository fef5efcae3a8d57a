import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AsyncApiDocument } from '@valley/contracts';
import { renderAsyncApiPage } from './asyncapi-page';

/**
 * The system's events, on every service: the AsyncAPI 3 document as JSON at /asyncapi (HTML for a
 * browser that asks for it), and as a readable page at /asyncapi.html.
 */
@ApiTags('events')
@Controller()
export class AsyncApiController {
  private page?: string;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  @Get('asyncapi')
  @ApiOperation({
    summary: 'The AsyncAPI 3 document of every topic and event of the system',
    description: 'JSON; a client whose Accept prefers text/html gets the page of /asyncapi.html.',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ description: 'The AsyncAPI document.' })
  document(
    @Req() request: { headers: Record<string, string | string[] | undefined> },
    @Res({ passthrough: true }) response: unknown,
  ): unknown {
    const html = prefersHtml(request.headers.accept);
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'Vary', 'Accept');
    adapter.setHeader(response, 'Content-Type', html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
    return html ? this.html() : AsyncApiDocument;
  }

  @Get('asyncapi.html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'The AsyncAPI document as a readable page' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page.' })
  html(): string {
    this.page ??= renderAsyncApiPage(AsyncApiDocument as Record<string, unknown>);
    return this.page;
  }
}

function prefersHtml(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  const html = value.indexOf('text/html');
  const json = value.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}
