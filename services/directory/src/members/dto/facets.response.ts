import { ApiProperty } from '@nestjs/swagger';

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
