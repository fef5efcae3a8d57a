import { ApiProperty } from '@nestjs/swagger';
import { OrganisationProfileView } from '../../common/dto/organisation-profile.response';
import { ApplicationStatuses, ApplicationStatus } from '../application.entity';

/** An application as the coordinator (or its applicant) sees it. */
export class ApplicationView extends OrganisationProfileView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ enum: ApplicationStatuses })
  status!: ApplicationStatus;

  @ApiProperty({ nullable: true, type: String })
  motivation!: string | null;

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  decidedAt!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'JWT subject of the coordinator who decided (`applicant` for a withdrawal); the applicant itself reads `coordinator`.',
  })
  decidedBy!: string | null;

  @ApiProperty({ nullable: true, type: String })
  decisionReason!: string | null;
}
