import { ApiProperty } from '@nestjs/swagger';

export class MemberCountResponse {
  @ApiProperty({ format: 'date' })
  asOf!: string;

  @ApiProperty()
  members!: number;
}
