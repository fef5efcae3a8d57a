import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryService } from './directory.service';
import { DirectoryPageResponse } from './dto/directory-member.response';
import { ListMembersQuery } from './dto/list-members.query';

@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({ summary: 'Listed members of the cluster, by name (public).' })
  @ApiOkResponse({ type: DirectoryPageResponse })
  @ApiBadRequestResponse({ description: 'An unknown or malformed parameter; `fields` names it.' })
  list(@Query() query: ListMembersQuery): Promise<DirectoryPageResponse> {
    return this.directory.list(query);
  }
}
