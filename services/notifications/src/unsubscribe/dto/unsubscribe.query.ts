import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { UNSUBSCRIBE_TOKEN_PATTERN } from '../unsubscribe-token';

export class UnsubscribeQuery {
  @ApiProperty({ description: 'The signed token from the unsubscribe link of an announcement.' })
  @Matches(UNSUBSCRIBE_TOKEN_PATTERN, { message: 'token must be the token of an unsubscribe link' })
  token!: string;
}

export class UnsubscribedResponse {
  @ApiProperty({ example: true })
  unsubscribed!: boolean;

  @ApiProperty({ format: 'date-time', description: 'When the address first unsubscribed.' })
  unsubscribedAt!: string;
}
