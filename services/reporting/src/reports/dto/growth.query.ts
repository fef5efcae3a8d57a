import { ApiProperty } from '@nestjs/swagger';
import { IsIn, ValidateBy, ValidationArguments } from 'class-validator';
import { Interval, Intervals, periodsBetween } from '../periods';
import { DateRangeParams, isDay } from './report-params';

/** Points a growth report may have: about 13 years by day. */
export const MAX_GROWTH_POINTS = 5_000;

export class GrowthQuery extends DateRangeParams {
  @ApiProperty({ enum: Intervals, description: 'Length of each data point.' })
  @IsIn(Intervals, { message: `interval must be one of: ${Intervals.join(', ')}` })
  @ValidateBy({
    name: 'fewEnoughPoints',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const { from, to } = args?.object as GrowthQuery;
        if (!Intervals.includes(value as Interval) || !isDay(from) || !isDay(to) || from > to) return true;
        return periodsBetween(from, to, value as Interval, MAX_GROWTH_POINTS + 1).length <= MAX_GROWTH_POINTS;
      },
      defaultMessage: () => `interval gives more than ${MAX_GROWTH_POINTS} points between from and to`,
    },
  })
  interval!: Interval;
}
