import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ConsentView {
  @ApiProperty()
  publicListing!: boolean;

  @ApiProperty()
  announcements!: boolean;

  @ApiPropertyOptional()
  publicContact?: boolean;
}
