import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page';
import { ApplicationStatus, ApplicationStatuses } from '../application.entity';

export class ReviewApplicationDto {
  @ApiPropertyOptional({ description: "The coordinator's note, kept in the history.", maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RejectApplicationDto {
  @ApiProperty({ description: 'Why the application is rejected; kept in the history and published.', maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class WithdrawApplicationDto {
  @ApiPropertyOptional({ description: 'Why the applicant withdraws.', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ListApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ApplicationStatuses })
  @IsOptional()
  @IsIn(ApplicationStatuses)
  status?: ApplicationStatus;
}
