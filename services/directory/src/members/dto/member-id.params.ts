import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class MemberIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
