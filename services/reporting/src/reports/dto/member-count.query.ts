import { ApiPropertyOptional } from '@nestjs/swagger';
import { DefaultsTo, IsDay, today } from './report-params';

export class MemberCountQuery {
  @ApiPropertyOptional({ format: 'date', description: 'The day to count on (its end, UTC). Default: today.' })
  @DefaultsTo(() => today())
  @IsDay('asOf')
  asOf!: string;
}
