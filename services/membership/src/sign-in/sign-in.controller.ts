import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { MembershipExceptionFilter } from '../errors/membership-exception.filter';
import {
  ExchangeSignInLinkDto,
  MemberSessionTokens,
  RefreshTokenDto,
  RequestSignInLinkDto,
  SignInLinkRequested,
} from './dto/sign-in.dto';
import { MemberTokenKeys } from './member-token-keys';
import { MEMBER_TOKEN_KEYS } from './member-token-keys.provider';
import { SIGN_IN_LINK_MINUTES, SignInService } from './sign-in.service';

@ApiTags('sign-in')
@Controller()
@UseFilters(MembershipExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    @Inject(MEMBER_TOKEN_KEYS) private readonly keys: MemberTokenKeys,
  ) {}

  @Post('sign-in/links')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: "A member's contact asks for a one-time sign-in link by email (public).",
    description:
      `The same 202 whether or not the address is a member's contact: if it is (and the membership has not ended), ` +
      `a link that works once, for ${SIGN_IN_LINK_MINUTES} minutes, goes to it within seconds. Limited per client ` +
      'and per address (429, the same for any address).',
  })
  @ApiAcceptedResponse({ type: SignInLinkRequested })
  async requestLink(@Body() dto: RequestSignInLinkDto): Promise<SignInLinkRequested> {
    await this.signIn.requestLink(dto.email);
    return {
      message: `If the address belongs to a member, a sign-in link is on its way. It works once, for ${SIGN_IN_LINK_MINUTES} minutes.`,
    };
  }

  @Post('sign-in/token')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Exchanges a sign-in link's token for a session: a member access token and a refresh token.",
  })
  @ApiOkResponse({ type: MemberSessionTokens })
  @ApiUnauthorizedResponse({ description: 'The link was used, has expired or is unknown (SIGN_IN_LINK_INVALID).' })
  @ApiForbiddenResponse({ description: 'The membership has ended (MEMBERSHIP_ENDED).' })
  exchange(@Body() dto: ExchangeSignInLinkDto): Promise<MemberSessionTokens> {
    return this.signIn.exchange(dto.token);
  }

  @Post('sign-in/refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Renews the access token while the session lasts; the refresh token is replaced.' })
  @ApiOkResponse({ type: MemberSessionTokens })
  @ApiUnauthorizedResponse({
    description: 'The session has ended, expired, or the token was replaced (SESSION_ENDED).',
  })
  @ApiForbiddenResponse({ description: 'The membership has ended (MEMBERSHIP_ENDED).' })
  refresh(@Body() dto: RefreshTokenDto): Promise<MemberSessionTokens> {
    return this.signIn.refresh(dto.refreshToken);
  }

  @Post('sign-out')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Ends the member's session: its refresh token stops working (access tokens expire within minutes).",
  })
  @ApiNoContentResponse({ description: 'The session has ended (or had already).' })
  async signOut(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.signIn.signOut(dto.refreshToken);
  }

  @Get('.well-known/jwks.json')
  @ApiOperation({
    summary: 'The public keys member access tokens are signed with (AUTH_MEMBER_JWKS_URL of the services).',
  })
  @ApiOkResponse({ description: 'A JSON Web Key Set.' })
  jwks(): MemberTokenKeys['jwks'] {
    return this.keys.jwks;
  }
}
