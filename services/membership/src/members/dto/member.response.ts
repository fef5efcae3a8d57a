import { ApiProperty } from '@nestjs/swagger';
import {
  MembershipType,
  MembershipTypes,
  Visibilities,
  Visibility,
  VisibleField,
  VisibleFields,
} from '@valley/contracts';
import { OrganisationProfileView } from '../../common/dto/organisation-profile.response';
import { MemberStatus, MemberStatuses } from '../member.entity';

const VISIBILITY_PROPERTIES = Object.fromEntries(
  VisibleFields.map((field) => [field, { type: 'string' as const, enum: [...Visibilities] }]),
);

/** A member as the coordinator sees it. */
export class MemberView extends OrganisationProfileView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  applicationId!: string | null;

  @ApiProperty({ enum: MembershipTypes })
  membershipType!: MembershipType;

  @ApiProperty({ enum: MemberStatuses })
  status!: MemberStatus;

  @ApiProperty({ nullable: true, type: String })
  statusReason!: string | null;

  @ApiProperty()
  isCoordinator!: boolean;

  @ApiProperty({ format: 'date' })
  admittedOn!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  endedOn!: string | null;

  @ApiProperty({ nullable: true, type: String })
  statement!: string | null;

  @ApiProperty({ nullable: true, type: String })
  logoUrl!: string | null;

  @ApiProperty({
    type: 'object',
    properties: VISIBILITY_PROPERTIES,
    required: [...VisibleFields],
    description:
      'Who the member chose to see each directory field (`public` where it chose nothing). Consent still gates the contact: see shownInDirectory.',
  })
  visibility!: Record<VisibleField, Visibility>;

  @ApiProperty({
    type: 'object',
    properties: VISIBILITY_PROPERTIES,
    required: [...VisibleFields],
    description:
      'Who the directory shows each field to, as it applies the choice: the contact details are hidden without consent.publicContact.',
  })
  shownInDirectory!: Record<VisibleField, Visibility>;

  @ApiProperty({ description: 'Send it back in If-Match to change the member.' })
  version!: number;
}
