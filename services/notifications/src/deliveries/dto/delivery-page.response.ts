import { ApiProperty } from '@nestjs/swagger';
import { DeliveryResponse } from './delivery.response';

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] })
  items!: DeliveryResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor!: string | null;
}
