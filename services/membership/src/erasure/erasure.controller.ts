import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, Coordinator, CurrentActor } from '@valley/platform';
import { ApplicationIdParams } from '../applications';
import { MembershipExceptionFilter } from '../errors/membership-exception.filter';
import { MemberIdParams } from '../members';
import { EraseDto } from './dto/erase.dto';
import { ErasureView } from './dto/erasure.response';
import { ErasureService } from './erasure.service';

const WHAT_GOES =
  "The contact person's name, email and phone, and the free text marked in `personalText`, in every service; " +
  "its earlier events' sealed fields become unreadable (its key is shredded). The history records who, when and why.";

@ApiTags('erasure')
@Controller()
@Coordinator()
@UseFilters(MembershipExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
@ApiNotFoundResponse({ description: 'No such member or application.' })
@ApiConflictResponse({
  description:
    'Not erasable (ERASURE_NOT_ALLOWED: a member must have ended, an application must be rejected or withdrawn) ' +
    'or erased already (PERSONAL_DATA_ERASED). Nothing changed.',
})
export class ErasureController {
  constructor(private readonly erasure: ErasureService) {}

  @Post('members/:id/erase')
  @HttpCode(200)
  @ApiOperation({ summary: "Erases an ended member's personal data (GDPR Art. 17).", description: WHAT_GOES })
  @ApiOkResponse({ type: ErasureView })
  eraseMember(@Param() params: MemberIdParams, @Body() dto: EraseDto, @CurrentActor() actor: Actor) {
    return this.erasure.eraseMember(params.id, actor, dto);
  }

  @Post('applications/:id/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erases a rejected or withdrawn applicant's personal data (GDPR Art. 17).",
    description: WHAT_GOES,
  })
  @ApiOkResponse({ type: ErasureView })
  eraseApplication(@Param() params: ApplicationIdParams, @Body() dto: EraseDto, @CurrentActor() actor: Actor) {
    return this.erasure.eraseApplication(params.id, actor, dto);
  }
}
