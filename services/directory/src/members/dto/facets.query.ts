import { ApiPropertyOptional } from '@nestjs/swagger';
import { OneLineText } from '@valley/platform';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DirectoryFilters } from './directory-filters.dto';

/** `GET /facets`: the filters and a search query. */
export class FacetsQuery extends DirectoryFilters {
  @ApiPropertyOptional({ description: 'Full-text search: name, description and statement.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @OneLineText()
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain a letter or a digit' })
  q?: string;
}
