import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class DeliveryIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a delivery id (a UUID)' })
  id!: string;
}
