import { ApiPropertyOptional } from '@nestjs/swagger';
import { FocusAreas, NACE_CODE_PATTERN, OrganisationTypes, SizeClasses } from '@valley/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const SortOrders = ['relevance', 'name', 'memberSince', '-memberSince'] as const;
export type SortOrder = (typeof SortOrders)[number];

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

export class FacetsQuery extends DirectoryFilters {
  @ApiPropertyOptional({ description: 'Full-text search: name, description and statement.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain a letter or a digit' })
  q?: string;
}

export class ListMembersQuery extends FacetsQuery {
  @ApiPropertyOptional({
    enum: SortOrders,
    description: 'Default: `relevance` with `q`, else `name`. `-memberSince` is newest first.',
  })
  @IsOptional()
  @IsIn(SortOrders)
  sort?: SortOrder;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ description: 'Opaque: the `nextCursor` of the previous page (same query).' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true', description: 'Include facet counts.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  facets?: 'true' | 'false';
}
