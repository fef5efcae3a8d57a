import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches, ValidateBy, ValidationArguments } from 'class-validator';

export const ReportFormats = ['json', 'csv', 'svg'] as const;
export type ReportFormat = (typeof ReportFormats)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day, YYYY-MM-DD (UTC), required. */
export function IsDay(field: string): PropertyDecorator {
  return (target, key) => {
    Matches(DAY, { message: `${field} must be a date, YYYY-MM-DD` })(target, key);
    IsISO8601({ strict: true, strictSeparator: true }, { message: `${field} must be a real calendar date` })(
      target,
      key,
    );
  };
}

export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** `from` must not be after `to` (reported on `from`; a bad `to` is reported on its own). */
export function NotAfter(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'notAfter',
    constraints: [other],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const end = (args?.object as Record<string, unknown>)[other];
        return !isDay(value) || !isDay(end) || value <= end;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be after ${other}`,
    },
  });
}

export class FormatParam {
  @ApiPropertyOptional({ enum: ReportFormats, default: 'json', description: 'json, csv (spreadsheet) or svg (chart)' })
  @IsOptional()
  @IsIn(ReportFormats, { message: `format must be one of: ${ReportFormats.join(', ')}` })
  format?: ReportFormat;
}

export class DateRangeParams extends FormatParam {
  @ApiProperty({ format: 'date', example: '2025-01-01', description: 'First day (UTC), inclusive.' })
  @IsDay('from')
  @NotAfter('to')
  from!: string;

  @ApiProperty({ format: 'date', example: '2025-12-31', description: 'Last day (UTC), inclusive.' })
  @IsDay('to')
  to!: string;
}
