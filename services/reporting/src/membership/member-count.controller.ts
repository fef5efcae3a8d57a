import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Coordinator } from '@valley/platform';
import { MemberCountQuery, MemberCountResponse } from './dto/member-count.query';
import { MembershipFacts } from './membership-facts.service';

@ApiTags('reports')
@Controller('reports')
@Coordinator()
export class MemberCountController {
  constructor(private readonly facts: MembershipFacts) {}

  @Get('member-count')
  @ApiOperation({ summary: 'How many members the cluster had on a day (coordinator).' })
  @ApiOkResponse({ type: MemberCountResponse })
  @ApiBadRequestResponse({ description: '`asOf` is not a date.' })
  async memberCount(@Query() query: MemberCountQuery): Promise<MemberCountResponse> {
    const asOf = query.asOf?.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
    return { asOf, members: await this.facts.memberCount(asOf) };
  }
}
