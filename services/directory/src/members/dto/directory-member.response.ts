import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

  @ApiProperty({ enum: ['founding', 'full'] })
  membershipType!: string;

  @ApiProperty({ format: 'date' })
  memberSince!: string;
}

export class DirectoryPageResponse {
  @ApiProperty({ type: [DirectoryMemberResponse] })
  items!: DirectoryMemberResponse[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor!: string | null;
}
