import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, Matches, ValidateBy, ValidationArguments } from 'class-validator';
import { toDay } from '../periods';

export const ReportFormats = ['json', 'csv', 'svg'] as const;
export type ReportFormat = (typeof ReportFormats)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The last day a report takes: the reports work with the day after (the end of a day is the
 * start of the next), and the day after 9999-12-31 has no YYYY-MM-DD.
 */
export const LAST_DAY = '9999-12-30';

/** A calendar day, YYYY-MM-DD (UTC), up to LAST_DAY, required. */
export function IsDay(field: string): PropertyDecorator {
  return (target, key) => {
    Matches(DAY, { message: `${field} must be a date, YYYY-MM-DD` })(target, key);
    IsISO8601({ strict: true, strictSeparator: true }, { message: `${field} must be a real calendar date` })(
      target,
      key,
    );
    ValidateBy({
      name: 'notAfterLastDay',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !DAY.test(value) || value <= LAST_DAY,
        defaultMessage: () => `${field} must be a day up to ${LAST_DAY}`,
      },
    })(target, key);
  };
}

/** Today, as a UTC day. */
export function today(now: Date = new Date()): string {
  return toDay(now.getTime());
}

/**
 * The first day of the twelve calendar months that end with `to`'s month: 2026-01-01 for
 * 2026-12-01 (the whole of this month so far and the eleven before it).
 */
export function twelveMonthsEndingWith(to: string): string {
  const [year, month] = to.split('-').map(Number);
  return toDay(Date.UTC(year, month - 12, 1));
}

/**
 * A parameter that takes `fallback(query)` when it is absent, before validation, so that the
 * default is validated (and documented) like a value the caller gave. `query` is the query
 * string as sent.
 */
export function DefaultsTo(fallback: (query: Record<string, unknown>) => string): PropertyDecorator {
  return applyDecorators(
    Expose(),
    Transform(({ value, obj }) => value ?? fallback(obj as Record<string, unknown>), { toClassOnly: true }),
  );
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
  @ApiPropertyOptional({
    format: 'date',
    example: '2025-01-01',
    description:
      'First day (UTC), inclusive. Default: the first day of the twelve calendar months ending with `to` ' +
      '(for to=2026-12-01: 2026-01-01).',
  })
  @DefaultsTo((query) => twelveMonthsEndingWith(isDay(query.to) ? query.to : today()))
  @IsDay('from')
  @NotAfter('to')
  from!: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2025-12-31',
    description: 'Last day (UTC), inclusive. Default: today.',
  })
  @DefaultsTo(() => today())
  @IsDay('to')
  to!: string;
}
