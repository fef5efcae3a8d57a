import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { UNSUBSCRIBE_TOKEN_PATTERN } from '../unsubscribe-token';

export class UnsubscribeQuery {
  @ApiProperty({ description: 'The signed token from the unsubscribe link of an announcement.' })
  @Matches(UNSUBSCRIBE_TOKEN_PATTERN, { message: 'token must be the token of an unsubscribe link' })
  token!: string;
}
