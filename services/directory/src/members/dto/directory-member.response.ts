import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ListedMember, PublicContact } from '../../common/listed-member';

/**
 * The contact person, shown only where the member consented to it; each of its fields only to
 * the callers its visibility allows (null otherwise).
 */
export class PublicContactResponse implements PublicContact {
  @ApiProperty({ nullable: true, type: String })
  name!: string | null;

  @ApiProperty({ nullable: true, type: String })
  email!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  phone!: string | null;
}

/**
 * A listed member as its caller sees it: `website`, `description`, `statement`, `logoUrl` and the
 * contact's `name`, `email` and `phone` are null where the member's visibility does not show them
 * to this caller (`public`: everyone; `members`: callers with a member's or a coordinator's token;
 * `hidden`: nobody); `contact` is null when none of its fields is shown.
 */
export class DirectoryMemberResponse implements ListedMember {
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
