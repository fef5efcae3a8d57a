import { ApiProperty } from '@nestjs/swagger';
import { SIGN_IN_TOKEN_PATTERN } from '@valley/contracts';
import { DeliverableEmail, OneLineText } from '@valley/platform';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';

export class RequestSignInLinkDto {
  @ApiProperty({
    format: 'email',
    maxLength: 320,
    example: 'ona@tiksli-mechanika.lt',
    description: "The member's contact email; the link goes there if it is one.",
  })
  @IsString()
  @MaxLength(320)
  @OneLineText()
  @IsEmail({}, { message: 'email must be an email address, e.g. ona@tiksli-mechanika.lt' })
  @DeliverableEmail()
  email!: string;
}

export class SignInLinkRequested {
  @ApiProperty({
    example: 'If the address belongs to a member, a sign-in link is on its way. It works once, for 15 minutes.',
  })
  message!: string;
}

export class ExchangeSignInLinkDto {
  @ApiProperty({
    description: 'The token of the link in the email (43 characters).',
    pattern: SIGN_IN_TOKEN_PATTERN.source,
  })
  @IsString()
  @Matches(SIGN_IN_TOKEN_PATTERN, { message: 'token must be the 43-character token of a sign-in link' })
  token!: string;
}

export class RefreshTokenDto {
  @ApiProperty({
    description: 'The refresh token of the session (43 characters).',
    pattern: SIGN_IN_TOKEN_PATTERN.source,
  })
  @IsString()
  @Matches(SIGN_IN_TOKEN_PATTERN, { message: 'refreshToken must be the 43-character refresh token of a session' })
  refreshToken!: string;
}

export class MemberSessionTokens {
  @ApiProperty({
    description: 'A member access token (JWT, `member` role, `memberId` claim): send it as a bearer token.',
  })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds the access token lives (MEMBER_ACCESS_TOKEN_SECONDS).' })
  expiresIn!: number;

  @ApiProperty({
    description: 'Renews the access token (POST /sign-in/refresh) until the session ends; a new one each time.',
  })
  refreshToken!: string;

  @ApiProperty({ format: 'date-time', description: 'When the session ends (MEMBER_SESSION_SECONDS after signing in).' })
  sessionExpiresAt!: string;

  @ApiProperty({ format: 'uuid' })
  memberId!: string;

  @ApiProperty({ description: 'False while the member is suspended: it may read, not change.' })
  canChange!: boolean;
}
