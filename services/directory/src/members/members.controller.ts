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
import { FastifyReply, FastifyRequest } from 'fastify';
import { DirectoryExceptionFilter } from '../errors/directory-exception.filter';
import { AnswerCache, sendAnswer, serialize } from './answer-cache';
import { DirectoryService } from './directory.service';
import { DirectoryMemberResponse, DirectoryPageResponse, FacetsResponse } from './dto/directory-member.response';
import { FacetsQuery, ListMembersQuery } from './dto/list-members.query';
import { MemberIdParams } from './dto/member-id.params';

@ApiTags('members')
@Controller()
@UseFilters(DirectoryExceptionFilter)
@ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 if unchanged.' })
export class MembersController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly answers: AnswerCache,
  ) {}

  @Get('members')
  @ApiOperation({ summary: 'Search the listed members: full text, filters, facets, keyset pages (public).' })
  @ApiOkResponse({ type: DirectoryPageResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  list(@Query() query: ListMembersQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    sendAnswer(request, reply, this.answers.keep(request.url, this.directory.list(query)));
  }

  @Get('members/:id')
  @ApiOperation({ summary: "A listed member's public profile (public)." })
  @ApiOkResponse({ type: DirectoryMemberResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiNotFoundResponse({ description: 'No listed member with this id.' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID.' })
  profile(@Param() params: MemberIdParams, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    sendAnswer(request, reply, serialize(this.directory.profile(params.id)));
  }

  @Get('facets')
  @ApiOperation({ summary: 'The values in use for every filter, with counts, for a filter panel (public).' })
  @ApiOkResponse({ type: FacetsResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  facets(@Query() query: FacetsQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    sendAnswer(request, reply, this.answers.keep(request.url, this.directory.facets(query)));
  }
}
