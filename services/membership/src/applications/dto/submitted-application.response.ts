import { ApiProperty } from '@nestjs/swagger';
import { ApplicationStatuses, ApplicationStatus } from '../application.entity';

export class SubmittedApplicationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The organisation id; it becomes the member id on admission.' })
  organisationId!: string;

  @ApiProperty({ enum: ApplicationStatuses })
  status!: ApplicationStatus;

  @ApiProperty({ description: 'Shown once: lets the applicant follow or withdraw its application.' })
  applicantToken!: string;

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;
}
