import { ApiProperty } from '@nestjs/swagger';
import { FocusArea, FocusAreas, OrganisationType, OrganisationTypes, SizeClass, SizeClasses } from '@valley/contracts';
import { ConsentView } from './consent.response';
import { ContactView } from './contact.response';

/** The organisation's profile in an answer: the part an application's and a member's views share. */
export abstract class OrganisationProfileView {
  @ApiProperty()
  legalName!: string;

  @ApiProperty()
  registrationCode!: string;

  @ApiProperty()
  country!: string;

  @ApiProperty()
  region!: string;

  @ApiProperty({ enum: OrganisationTypes })
  organisationType!: OrganisationType;

  @ApiProperty({ enum: SizeClasses })
  sizeClass!: SizeClass;

  @ApiProperty({ type: [String] })
  sectorCodes!: string[];

  @ApiProperty({ enum: FocusAreas, isArray: true })
  focusAreas!: FocusArea[];

  @ApiProperty({ nullable: true, type: String })
  website!: string | null;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({
    type: ContactView,
    nullable: true,
    description: "Null once the organisation's personal data was erased.",
  })
  contact!: ContactView | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: "When the organisation's personal data was erased (POST …/erase); null while it is kept.",
  })
  erasedAt!: string | null;

  @ApiProperty({ type: ConsentView })
  consent!: ConsentView;
}
