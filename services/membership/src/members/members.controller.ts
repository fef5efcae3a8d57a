import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, Coordinator, CurrentActor } from '@valley/platform';
import type { Response } from 'express';
import { MembershipExceptionFilter } from '../errors/membership-exception.filter';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { HistoryEntryView } from '../history';
import { EndMembershipDto } from './dto/end-membership.dto';
import { ListMembersQuery } from './dto/list-members.query';
import { MemberIdParams } from './dto/member-id.params';
import { MemberPage } from './dto/member-page.response';
import { MemberView } from './dto/member.response';
import { ReinstateMemberDto } from './dto/reinstate-member.dto';
import { SuspendMemberDto } from './dto/suspend-member.dto';
import { UpdateMemberDto } from './dto/update-member.dto';
import { ImportReport } from './dto/import-report.response';
import { MemberImportService } from './import/member-import.service';
import { MembersService } from './members.service';

const NOT_ALLOWED =
  'The step does not follow from the member’s status (`code`: TRANSITION_NOT_ALLOWED); nothing changed.';
/** Largest CSV a coordinator may upload (about 10,000 rows). */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

@ApiTags('members')
@Controller('members')
@Coordinator()
@UseFilters(MembershipExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly importer: MemberImportService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Members by legal name, optionally of one status (keyset pages).' })
  @ApiOkResponse({ type: MemberPage })
  list(@Query() query: ListMembersQuery): Promise<MemberPage> {
    return this.members.list(query);
  }

  @Post('import')
  @ApiOperation({
    summary: 'Imports members from a CSV file (multipart field `file`); each row is validated like an application.',
    description:
      'Columns: legalName, registrationCode, country, region, organisationType, sizeClass, sectorCodes and ' +
      'focusAreas (separated by ";"), website, description, contactName, contactEmail, contactPhone, ' +
      'contactLanguage, publicListing, announcements (true/false), and optional membershipType (founding|full) ' +
      'and admittedOn (YYYY-MM-DD). A row is imported whole or not at all; the answer lists the imported rows ' +
      'and, per refused row, its line and the reasons.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: ImportReport })
  @ApiResponse({ status: 413, description: 'The file is larger than 5 MB.' })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  import(@UploadedFile() file: { buffer: Buffer } | undefined, @CurrentActor() actor: Actor): Promise<ImportReport> {
    if (!file) {
      throw new MembershipException(
        MembershipErrorCode.IMPORT_FILE_INVALID,
        'upload the CSV as the multipart field "file"',
      );
    }
    return this.importer.importCsv(file.buffer, actor.subject);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One member, with its version (also as the ETag header).' })
  @ApiOkResponse({ type: MemberView })
  @ApiNotFoundResponse({ description: 'No such member.' })
  async get(@Param() params: MemberIdParams, @Res({ passthrough: true }) response: Response): Promise<MemberView> {
    return withETag(response, await this.members.get(params.id));
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Who decided what about the member, when and why.' })
  @ApiOkResponse({ type: [HistoryEntryView] })
  @ApiNotFoundResponse({ description: 'No such member.' })
  history(@Param() params: MemberIdParams): Promise<HistoryEntryView[]> {
    return this.members.history(params.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes the profile or consent, if If-Match holds the member’s current version.' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version read last, e.g. "3" (the ETag).' })
  @ApiOkResponse({ type: MemberView })
  @ApiNotFoundResponse({ description: 'No such member.' })
  @ApiPreconditionFailedResponse({
    description: 'The member changed since that version (STALE_VERSION); nothing changed.',
  })
  @ApiResponse({ status: 428, description: 'No If-Match header (VERSION_REQUIRED).' })
  @ApiConflictResponse({ description: 'The membership has ended.' })
  async update(
    @Param() params: MemberIdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateMemberDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MemberView> {
    return withETag(response, await this.members.update(params.id, parseIfMatch(ifMatch), dto, actor));
  }

  @Post(':id/suspend')
  @ApiOperation({ summary: 'Suspends an active member, with a reason.' })
  @ApiCreatedResponse({ type: MemberView })
  @ApiNotFoundResponse({ description: 'No such member.' })
  @ApiConflictResponse({ description: NOT_ALLOWED })
  suspend(@Param() params: MemberIdParams, @Body() dto: SuspendMemberDto, @CurrentActor() actor: Actor) {
    return this.members.suspend(params.id, actor, dto);
  }

  @Post(':id/reinstate')
  @ApiOperation({ summary: 'Lifts a suspension.' })
  @ApiCreatedResponse({ type: MemberView })
  @ApiNotFoundResponse({ description: 'No such member.' })
  @ApiConflictResponse({ description: NOT_ALLOWED })
  reinstate(@Param() params: MemberIdParams, @Body() dto: ReinstateMemberDto, @CurrentActor() actor: Actor) {
    return this.members.reinstate(params.id, actor, dto);
  }

  @Post(':id/end')
  @ApiOperation({ summary: 'Ends a membership (active or suspended), with a reason.' })
  @ApiCreatedResponse({ type: MemberView })
  @ApiNotFoundResponse({ description: 'No such member.' })
  @ApiConflictResponse({ description: NOT_ALLOWED })
  end(@Param() params: MemberIdParams, @Body() dto: EndMembershipDto, @CurrentActor() actor: Actor) {
    return this.members.end(params.id, actor, dto);
  }
}

export function withETag(response: Response, member: MemberView): MemberView {
  response.setHeader('ETag', `"${member.version}"`);
  return member;
}

/** `"3"`, `W/"3"` or `3` → 3. */
export function parseIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new MembershipException(
      MembershipErrorCode.VERSION_REQUIRED,
      'If-Match with the member’s version is required',
    );
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) {
    throw new MembershipException(
      MembershipErrorCode.VERSION_MALFORMED,
      'If-Match must be the member’s version, e.g. "3"',
    );
  }
  return Number(match[1]);
}
