import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** The coordinator rejected an application. aggregateId = the organisation's id. */
export class ApplicationRejectedV1 {
  @IsUUID()
  applicationId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsISO8601({ strict: true })
  rejectedAt!: string;
}

/** The applicant withdrew its application before a decision. aggregateId = the organisation's id. */
export class ApplicationWithdrawnV1 {
  @IsUUID()
  applicationId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string | null;

  @IsISO8601({ strict: true })
  withdrawnAt!: string;
}
