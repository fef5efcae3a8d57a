import { ApiProperty } from '@nestjs/swagger';

export class UnsubscribedResponse {
  @ApiProperty({ example: true })
  unsubscribed!: boolean;

  @ApiProperty({ format: 'date-time', description: 'When the address first unsubscribed.' })
  unsubscribedAt!: string;
}
