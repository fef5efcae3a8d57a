import { LinesText } from '@valley/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { PresentMeansNotNull } from '../../common/present-means-not-null';

export class AdmitApplicationDto {
  @ApiPropertyOptional({ description: "The coordinator's note, kept with the decision.", maxLength: 2000 })
  @PresentMeansNotNull()
  @IsString()
  @MaxLength(2000)
  @LinesText()
  note?: string;
}
