import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DefaultsTo, IsDay, today } from './report-params';

export const RosterFormats = ['json', 'csv'] as const;
export type RosterFormat = (typeof RosterFormats)[number];

export class RosterQuery {
  @ApiPropertyOptional({
    format: 'date',
    example: '2025-12-31',
    description:
      'The members as they were at the end of this day (UTC), profile changes after it not applied. Default: today.',
  })
  @DefaultsTo(() => today())
  @IsDay('asOf')
  asOf!: string;

  @ApiPropertyOptional({ enum: RosterFormats, default: 'json', description: 'json, or csv (spreadsheet)' })
  @IsOptional()
  @IsIn(RosterFormats, { message: `format must be one of: ${RosterFormats.join(', ')} (a roster has no chart)` })
  format?: RosterFormat;
}
