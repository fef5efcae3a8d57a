import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DefaultsTo, FormatParam, IsDay, today } from './report-params';

export const Cohorts = ['year', 'quarter'] as const;
export type Cohort = (typeof Cohorts)[number];

export class RetentionQuery extends FormatParam {
  @ApiPropertyOptional({
    enum: Cohorts,
    default: 'year',
    description: 'Group memberships by the calendar year or quarter (UTC) of their admission.',
  })
  @IsOptional()
  @IsIn(Cohorts, { message: `cohort must be one of: ${Cohorts.join(', ')}` })
  cohort?: Cohort;

  @ApiPropertyOptional({
    format: 'date',
    example: '2025-12-31',
    description:
      'Judge at the end of this day (UTC): a membership counts for "after n years" once n years have passed by then. Default: today.',
  })
  @DefaultsTo(() => today())
  @IsDay('asOf')
  asOf!: string;
}
