import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The contact person, shown only where the member consented to it. */
export class PublicContactResponse {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  email!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  phone!: string | null;
}

/** A member as the public sees it: public fields only. */
export class DirectoryMemberResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  legalName!: string;

  @ApiProperty({ example: 'LT' })
  country!: string;

  @ApiProperty()
  region!: string;

  @ApiProperty()
  organisationType!: string;

  @ApiProperty()
  sizeClass!: string;

  @ApiProperty({ type: [String] })
  sectorCodes!: string[];

  @ApiProperty({ type: [String] })
  focusAreas!: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  website!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  description!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  statement!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  logoUrl!: string | null;

  @ApiPropertyOptional({ nullable: true, type: PublicContactResponse })
  contact!: PublicContactResponse | null;

  @ApiProperty({ enum: ['founding', 'full'] })
  membershipType!: string;

  @ApiProperty({ format: 'date' })
  memberSince!: string;
}

export class FacetValueResponse {
  @ApiProperty()
  value!: string;

  @ApiProperty()
  count!: number;
}

/** For each filter, the values in use and how many listed members have them. */
export class FacetsResponse {
  @ApiProperty({ type: [FacetValueResponse], description: 'NACE sections and divisions.' })
  sector!: FacetValueResponse[];

  @ApiProperty({ type: [FacetValueResponse] })
  region!: FacetValueResponse[];

  @ApiProperty({ type: [FacetValueResponse] })
  country!: FacetValueResponse[];

  @ApiProperty({ type: [FacetValueResponse] })
  focusArea!: FacetValueResponse[];

  @ApiProperty({ type: [FacetValueResponse] })
  organisationType!: FacetValueResponse[];

  @ApiProperty({ type: [FacetValueResponse] })
  sizeClass!: FacetValueResponse[];

  @ApiProperty({ type: [FacetValueResponse], description: 'By year of admission.' })
  memberSinceYear!: FacetValueResponse[];
}

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
