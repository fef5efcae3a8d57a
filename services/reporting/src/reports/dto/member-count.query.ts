import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class MemberCountQuery {
  @ApiPropertyOptional({ format: 'date', description: 'The day to count on (its end, UTC); today when absent.' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'asOf must be a date, YYYY-MM-DD' })
  asOf?: string;
}

export class MemberCountResponse {
  @ApiProperty({ format: 'date' })
  asOf!: string;

  @ApiProperty()
  members!: number;
}
