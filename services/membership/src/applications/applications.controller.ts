import { Body, Controller, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, Coordinator, CurrentActor } from '@valley/platform';
import { MembershipExceptionFilter } from '../errors/membership-exception.filter';
import { ApplicationsService } from './applications.service';
import { AdmitApplicationDto } from './dto/admit-application.dto';
import { ApplicationIdParams } from './dto/application-id.params';
import { AdmittedMemberResponse, SubmittedApplicationResponse } from './dto/application.responses';
import { SubmitApplicationDto } from './dto/submit-application.dto';

@ApiTags('applications')
@Controller('applications')
@UseFilters(MembershipExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @ApiOperation({ summary: 'An organisation applies to join the cluster (public).' })
  @ApiCreatedResponse({ type: SubmittedApplicationResponse })
  @ApiConflictResponse({ description: 'The organisation already has an open application or is a member.' })
  submit(@Body() dto: SubmitApplicationDto): Promise<SubmittedApplicationResponse> {
    return this.applications.submit(dto);
  }

  @Post(':id/admit')
  @Coordinator()
  @ApiOperation({ summary: 'The coordinator admits the applicant: it becomes a member.' })
  @ApiCreatedResponse({ type: AdmittedMemberResponse })
  @ApiNotFoundResponse({ description: 'No such application.' })
  @ApiConflictResponse({
    description: 'The application was already decided or withdrawn, or the organisation is a member.',
  })
  admit(
    @Param() params: ApplicationIdParams,
    @Body() dto: AdmitApplicationDto,
    @CurrentActor() actor: Actor,
  ): Promise<AdmittedMemberResponse> {
    return this.applications.admit(params.id, actor, dto);
  }
}
