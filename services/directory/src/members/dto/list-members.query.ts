import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SortOrder, SortOrders } from '../../common/sort-order';
import { FacetsQuery } from './facets.query';

/** `GET /members`: what `GET /facets` takes, and the order and page. */
export class ListMembersQuery extends FacetsQuery {
  @ApiPropertyOptional({
    enum: SortOrders,
    description: 'Default: `relevance` with `q`, else `name`. `-memberSince` is newest first.',
  })
  @IsOptional()
  @IsIn(SortOrders)
  sort?: SortOrder;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
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
