import { ApiProperty } from '@nestjs/swagger';
import { LinesText } from '@valley/platform';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class RejectApplicationDto {
  @ApiProperty({ description: 'Why the application is rejected; kept in the history and published.', maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @LinesText()
  reason!: string;
}
