import { Body, Controller, Get, Headers, Param, Post, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Actor, Coordinator, CurrentActor, RequestWithActor } from '@valley/platform';
import { MembershipExceptionFilter } from '../errors/membership-exception.filter';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { APPLICANT_TOKEN_HEADER, ApplicantOrCoordinatorGuard } from './applicant-or-coordinator.guard';
import { ApplicationsService } from './applications.service';
import { HistoryEntryView } from '../history';
import { AdmitApplicationDto } from './dto/admit-application.dto';
import { AdmittedMemberResponse } from './dto/admitted-member.response';
import { ApplicationIdParams } from './dto/application-id.params';
import { ApplicationPage } from './dto/application-page.response';
import { ApplicationView } from './dto/application.response';
import { ListApplicationsQuery } from './dto/list-applications.query';
import { RejectApplicationDto } from './dto/reject-application.dto';
import { ReviewApplicationDto } from './dto/review-application.dto';
import { SubmitApplicationDto } from './dto/submit-application.dto';
import { SubmittedApplicationResponse } from './dto/submitted-application.response';
import { WithdrawApplicationDto } from './dto/withdraw-application.dto';

const NOT_ALLOWED =
  'The step does not follow from the application’s status (`code`: TRANSITION_NOT_ALLOWED); nothing changed.';

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
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than 256 kB.' })
  submit(@Body() dto: SubmitApplicationDto): Promise<SubmittedApplicationResponse> {
    return this.applications.submit(dto);
  }

  @Get()
  @Coordinator()
  @ApiOperation({
    summary:
      'Applications, newest first (or `order=oldest`), optionally of one or several statuses (keyset pages), with the counts per status.',
  })
  @ApiOkResponse({ type: ApplicationPage })
  list(@Query() query: ListApplicationsQuery): Promise<ApplicationPage> {
    return this.applications.list(query);
  }

  @Get(':id')
  @UseGuards(ApplicantOrCoordinatorGuard)
  @ApiOperation({ summary: 'One application: for a coordinator, or for the applicant with its token.' })
  @ApiHeader({ name: 'X-Applicant-Token', required: false, description: 'The token given at submission.' })
  @ApiOkResponse({ type: ApplicationView })
  @ApiUnauthorizedResponse({ description: 'Neither a coordinator token nor an applicant token.' })
  @ApiNotFoundResponse({ description: 'No such application, or the token is not its applicant’s.' })
  get(@Param() params: ApplicationIdParams, @Req() request: RequestWithActor): Promise<ApplicationView> {
    const token = request.headers[APPLICANT_TOKEN_HEADER] as string;
    return this.applications.get(params.id, request.actor ? { coordinator: request.actor } : { applicantToken: token });
  }

  @Get(':id/history')
  @UseGuards(ApplicantOrCoordinatorGuard)
  @ApiOperation({
    summary:
      'Who did what, when and why: for a coordinator, every step with the JWT subject and note; for the applicant ' +
      '(X-Applicant-Token), the same steps with coordinators as `coordinator` and only the reasons it was given ' +
      '(its own, and a rejection’s).',
  })
  @ApiBearerAuth()
  @ApiHeader({ name: 'X-Applicant-Token', required: false, description: 'The token given at submission.' })
  @ApiOkResponse({ type: [HistoryEntryView] })
  @ApiUnauthorizedResponse({ description: 'Neither a coordinator token nor an applicant token.' })
  @ApiForbiddenResponse({ description: 'A bearer token without the coordinator role.' })
  @ApiNotFoundResponse({ description: 'No such application, or the token is not its applicant’s.' })
  history(@Param() params: ApplicationIdParams, @Req() request: RequestWithActor): Promise<HistoryEntryView[]> {
    const token = request.headers[APPLICANT_TOKEN_HEADER] as string;
    return this.applications.history(
      params.id,
      request.actor ? { coordinator: request.actor } : { applicantToken: token },
    );
  }

  @Post(':id/review')
  @Coordinator()
  @ApiOperation({ summary: 'The coordinator starts reviewing a submitted application.' })
  @ApiCreatedResponse({ type: ApplicationView })
  @ApiNotFoundResponse({ description: 'No such application.' })
  @ApiConflictResponse({ description: NOT_ALLOWED })
  review(
    @Param() params: ApplicationIdParams,
    @Body() dto: ReviewApplicationDto,
    @CurrentActor() actor: Actor,
  ): Promise<ApplicationView> {
    return this.applications.review(params.id, actor, dto);
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

  @Post(':id/reject')
  @Coordinator()
  @ApiOperation({ summary: 'The coordinator rejects the application, with a reason.' })
  @ApiCreatedResponse({ type: ApplicationView })
  @ApiNotFoundResponse({ description: 'No such application.' })
  @ApiConflictResponse({ description: NOT_ALLOWED })
  reject(
    @Param() params: ApplicationIdParams,
    @Body() dto: RejectApplicationDto,
    @CurrentActor() actor: Actor,
  ): Promise<ApplicationView> {
    return this.applications.reject(params.id, actor, dto);
  }

  @Post(':id/withdraw')
  @ApiOperation({ summary: 'The applicant withdraws its application before a decision (with its token).' })
  @ApiHeader({ name: 'X-Applicant-Token', required: true, description: 'The token given at submission.' })
  @ApiCreatedResponse({ type: ApplicationView })
  @ApiUnauthorizedResponse({ description: 'No applicant token.' })
  @ApiNotFoundResponse({ description: 'No such application, or the token is not its applicant’s.' })
  @ApiConflictResponse({ description: NOT_ALLOWED })
  withdraw(
    @Param() params: ApplicationIdParams,
    @Body() dto: WithdrawApplicationDto,
    @Headers(APPLICANT_TOKEN_HEADER) token: string | undefined,
  ): Promise<ApplicationView> {
    if (!token) {
      return Promise.reject(
        new MembershipException(MembershipErrorCode.APPLICANT_TOKEN_REQUIRED, 'X-Applicant-Token is required'),
      );
    }
    return this.applications.withdraw(params.id, token, dto);
  }
}
