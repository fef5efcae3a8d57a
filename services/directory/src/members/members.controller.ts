import { Controller, Get, Header, Param, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DirectoryExceptionFilter } from '../errors/directory-exception.filter';
import { DirectoryService } from './directory.service';
import { DirectoryMemberResponse, DirectoryPageResponse, FacetsResponse } from './dto/directory-member.response';
import { FacetsQuery, ListMembersQuery } from './dto/list-members.query';
import { MemberIdParams } from './dto/member-id.params';

/** Public answers may be cached for seconds (a withdrawn consent must show soon); ETags make revalidation cheap. */
const CACHE_CONTROL = 'public, max-age=5';

@ApiTags('members')
@Controller()
@UseFilters(DirectoryExceptionFilter)
@ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 if unchanged.' })
export class MembersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('members')
  @Header('Cache-Control', CACHE_CONTROL)
  @ApiOperation({ summary: 'Search the listed members: full text, filters, facets, keyset pages (public).' })
  @ApiOkResponse({ type: DirectoryPageResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  list(@Query() query: ListMembersQuery): DirectoryPageResponse {
    return this.directory.list(query);
  }

  @Get('members/:id')
  @Header('Cache-Control', CACHE_CONTROL)
  @ApiOperation({ summary: "A listed member's public profile (public)." })
  @ApiOkResponse({ type: DirectoryMemberResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiNotFoundResponse({ description: 'No listed member with this id.' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID.' })
  profile(@Param() params: MemberIdParams): DirectoryMemberResponse {
    return this.directory.profile(params.id);
  }

  @Get('facets')
  @Header('Cache-Control', CACHE_CONTROL)
  @ApiOperation({ summary: 'The values in use for every filter, with counts, for a filter panel (public).' })
  @ApiOkResponse({ type: FacetsResponse })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag).' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  facets(@Query() query: FacetsQuery): FacetsResponse {
    return this.directory.facets(query);
  }
}
