import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DirectoryMemberResponse } from './directory-member.response';
import { FacetsResponse } from './facets.response';

/** One page of `GET /members`. */
export class DirectoryPageResponse {
  @ApiProperty({ type: [DirectoryMemberResponse] })
  items!: DirectoryMemberResponse[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor!: string | null;

  @ApiProperty({ description: 'Listed members matching the query and filters, in all pages.' })
  total!: number;

  @ApiPropertyOptional({
    type: FacetsResponse,
    description: "Counts for each filter's values under the current query and the other filters.",
  })
  facets?: FacetsResponse;
}
