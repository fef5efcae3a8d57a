import { Body, Controller, Get, Headers, Patch, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentMember, MemberPrincipal, SignedInMember } from '@valley/platform';
import type { Response } from 'express';
import { MembershipExceptionFilter } from '../errors/membership-exception.filter';
import { HistoryEntryView } from '../history';
import { MemberView, parseIfMatch, UpdateMemberDto, withETag } from '../members';
import { MeService } from './me.service';

/** A signed-in member's own record: what a coordinator sees of it, and the profile it may change itself. */
@ApiTags('me')
@Controller('me')
@SignedInMember()
@UseFilters(MembershipExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @ApiOperation({
    summary:
      "The member's own record: profile, contact, consent, visibility, status, member since (ETag: its version).",
  })
  @ApiOkResponse({ type: MemberView })
  @ApiForbiddenResponse({ description: 'The membership has ended (MEMBERSHIP_ENDED).' })
  async get(
    @CurrentMember() member: MemberPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MemberView> {
    return withETag(response, await this.me.get(member));
  }

  @Patch()
  @ApiOperation({
    summary: 'Changes its own profile, contact, consent or visibility, if If-Match holds the current version.',
    description:
      'The fields a coordinator may change about the profile (not status, type or dates). Publishes ' +
      "MemberProfileUpdated, with the signed-in person as the actor in the member's history. A suspended " +
      'member may read, not change (403 MEMBER_READ_ONLY).',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version read last, e.g. "3" (the ETag).' })
  @ApiOkResponse({ type: MemberView })
  @ApiPreconditionFailedResponse({
    description: 'The member changed since that version (STALE_VERSION); nothing changed.',
  })
  @ApiResponse({ status: 428, description: 'No If-Match header (VERSION_REQUIRED).' })
  @ApiConflictResponse({ description: 'The membership has ended.' })
  async update(
    @CurrentMember() member: MemberPrincipal,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateMemberDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MemberView> {
    return withETag(response, await this.me.update(member, parseIfMatch(ifMatch), dto));
  }

  @Get('history')
  @ApiOperation({ summary: 'Who decided or changed what about the member, when and why.' })
  @ApiOkResponse({ type: [HistoryEntryView] })
  history(@CurrentMember() member: MemberPrincipal): Promise<HistoryEntryView[]> {
    return this.me.history(member);
  }
}
