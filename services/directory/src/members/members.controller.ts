import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentViewer, Viewer, Viewing } from '@valley/platform';
import { FastifyReply, FastifyRequest } from 'fastify';
import { audienceOf } from '../common/audience';
import { DirectoryExceptionFilter } from '../errors/directory-exception.filter';
import { AnswerCache, sendAnswer, serialize } from './answer-cache';
import { DirectoryService } from './directory.service';
import { DirectoryMemberResponse } from './dto/directory-member.response';
import { DirectoryPageResponse } from './dto/directory-page.response';
import { FacetsQuery } from './dto/facets.query';
import { FacetsResponse } from './dto/facets.response';
import { ListMembersQuery } from './dto/list-members.query';
import { MemberIdParams } from './dto/member-id.params';

/**
 * What each caller sees (every endpoint here): without `Authorization`, the fields whose visibility
 * is `public`; with a member's or a coordinator's token, also the `members` ones; `hidden` ones
 * nobody. Searches match only on text the caller sees.
 */
const SEEN_BY_CALLER =
  'Public: no token needed. An optional `Authorization: Bearer <JWT>` shows more: without it, only the fields each ' +
  "member made `public`; with a member's or a coordinator's token, also the `members` ones; `hidden` ones never " +
  '(null in the answer). `q` matches only text the caller sees. A header with a token that does not verify is a ' +
  '401, never an anonymous answer. Answers vary by `Authorization` (`Vary`); those to a request with it are ' +
  '`Cache-Control: private`.';

@ApiTags('members')
@Controller()
@UseFilters(DirectoryExceptionFilter)
@Viewing()
@ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 if unchanged.' })
export class MembersController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly answers: AnswerCache,
  ) {}

  @Get('members')
  @ApiOperation({
    summary: 'Search the listed members: full text, filters, facets, keyset pages (public).',
    description: SEEN_BY_CALLER,
  })
  @ApiOkResponse({ type: DirectoryPageResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  list(
    @Query() query: ListMembersQuery,
    @CurrentViewer() viewer: Viewer,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const audience = audienceOf(viewer);
    sendAnswer(request, reply, this.answers.keep(audience, request.url, this.directory.list(query, audience)));
  }

  @Get('members/:id')
  @ApiOperation({
    summary: "A listed member's profile as the caller may see it (public).",
    description: SEEN_BY_CALLER,
  })
  @ApiOkResponse({ type: DirectoryMemberResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiNotFoundResponse({ description: 'No listed member with this id.' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID.' })
  profile(
    @Param() params: MemberIdParams,
    @CurrentViewer() viewer: Viewer,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    sendAnswer(request, reply, serialize(this.directory.profile(params.id, audienceOf(viewer))));
  }

  @Get('facets')
  @ApiOperation({
    summary: 'The values in use for every filter, with counts, for a filter panel (public).',
    description: `${SEEN_BY_CALLER} The facets themselves are of fields every caller sees; with \`q\` they count the members whose visible text matches.`,
  })
  @ApiOkResponse({ type: FacetsResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  facets(
    @Query() query: FacetsQuery,
    @CurrentViewer() viewer: Viewer,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const audience = audienceOf(viewer);
    sendAnswer(request, reply, this.answers.keep(audience, request.url, this.directory.facets(query, audience)));
  }
}
