import { ApiPropertyOptional } from '@nestjs/swagger';
import { FocusAreas, NACE_CODE_PATTERN, OrganisationTypes, SizeClasses } from '@valley/contracts';
import { OneLineText } from '@valley/platform';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

/** A filter may be given once or repeated (`region=a&region=b`: either). */
const toList = () => Transform(({ value }) => (Array.isArray(value) ? value : [value]));

/** Filters shared by `GET /members` and `GET /facets`. */
export class DirectoryFilters {
  @ApiPropertyOptional({ description: 'NACE section, division, group or class: `C` (all manufacturing), `C26`.' })
  @IsOptional()
  @toList()
  @ArrayMaxSize(20)
  @Matches(NACE_CODE_PATTERN, { each: true, message: 'sector must be a NACE code such as C, C26 or C26.11' })
  sector?: string[];

  @ApiPropertyOptional({ example: 'Kauno apskritis' })
  @IsOptional()
  @toList()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  @OneLineText({ each: true })
  region?: string[];

  @ApiPropertyOptional({ example: 'LT' })
  @IsOptional()
  @toList()
  @ArrayMaxSize(20)
  @IsISO31661Alpha2({ each: true })
  country?: string[];

  @ApiPropertyOptional({ enum: FocusAreas })
  @IsOptional()
  @toList()
  @ArrayMaxSize(20)
  @IsIn(FocusAreas, { each: true })
  focusArea?: string[];

  @ApiPropertyOptional({ enum: OrganisationTypes })
  @IsOptional()
  @toList()
  @ArrayMaxSize(20)
  @IsIn(OrganisationTypes, { each: true })
  organisationType?: string[];

  @ApiPropertyOptional({ enum: SizeClasses })
  @IsOptional()
  @toList()
  @ArrayMaxSize(20)
  @IsIn(SizeClasses, { each: true })
  sizeClass?: string[];

  @ApiPropertyOptional({ format: 'date', description: 'Members since this day or later (YYYY-MM-DD).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'memberSinceFrom must be a day, YYYY-MM-DD' })
  memberSinceFrom?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Members since this day or earlier (YYYY-MM-DD).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'memberSinceTo must be a day, YYYY-MM-DD' })
  memberSinceTo?: string;
}
