import { ApiProperty } from '@nestjs/swagger';
import { ApplicationStatuses, ApplicationStatus } from '../application.entity';

export class AdmittedMemberResponse {
  @ApiProperty({ format: 'uuid' })
  memberId!: string;

  @ApiProperty({ format: 'uuid' })
  applicationId!: string;

  @ApiProperty({ enum: ApplicationStatuses, example: 'admitted' })
  status!: ApplicationStatus;

  @ApiProperty({ format: 'date', example: '2026-11-27' })
  admittedOn!: string;
}
