import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ApplicationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'id must be an application id (a UUID)' })
  id!: string;
}
