import { ApiPropertyOptional } from '@nestjs/swagger';
import { LinesText } from '@valley/platform';
import { IsString, MaxLength } from 'class-validator';
import { PresentMeansNotNull } from '../../common/present-means-not-null';

export class WithdrawApplicationDto {
  @ApiPropertyOptional({ description: 'Why the applicant withdraws.', maxLength: 2000 })
  @PresentMeansNotNull()
  @IsString()
  @MaxLength(2000)
  @LinesText()
  reason?: string;
}
