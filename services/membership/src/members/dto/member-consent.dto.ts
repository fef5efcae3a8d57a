import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { PresentMeansNotNull } from '../../common/present-means-not-null';

export class MemberConsentDto {
  @ApiProperty()
  @IsBoolean()
  publicListing!: boolean;

  @ApiProperty()
  @IsBoolean()
  announcements!: boolean;

  @ApiPropertyOptional({ description: 'The directory may show the contact’s name, email and phone.' })
  @PresentMeansNotNull()
  @IsBoolean()
  publicContact?: boolean;
}
