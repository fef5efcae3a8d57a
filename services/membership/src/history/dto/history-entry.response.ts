import { ApiProperty } from '@nestjs/swagger';

/** One step in an application's or a member's history. */
export class HistoryEntryView {
  @ApiProperty({ example: 'rejected' })
  action!: string;

  @ApiProperty({ nullable: true, type: String })
  fromStatus!: string | null;

  @ApiProperty({ nullable: true, type: String })
  toStatus!: string | null;

  @ApiProperty({
    description: 'JWT subject of the coordinator (`coordinator` in the applicant’s view), `applicant`, or `system`.',
  })
  actor!: string;

  @ApiProperty({ nullable: true, type: String })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}
