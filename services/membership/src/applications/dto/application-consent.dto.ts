import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class ApplicationConsentDto {
  @ApiProperty({ description: 'The organisation may appear in the public member directory.' })
  @IsBoolean()
  publicListing!: boolean;

  @ApiProperty({ description: "The contact wants the cluster's announcements." })
  @IsBoolean()
  announcements!: boolean;
}
