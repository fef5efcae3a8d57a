import { ApiProperty } from '@nestjs/swagger';
import { LinesText } from '@valley/platform';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class SuspendMemberDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @LinesText()
  reason!: string;
}
