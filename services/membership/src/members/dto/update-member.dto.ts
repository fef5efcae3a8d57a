import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  FocusArea,
  FocusAreas,
  IsNaceCode,
  OrganisationType,
  OrganisationTypes,
  SizeClass,
  SizeClasses,
} from '@valley/contracts';
import { LinesText, OneLineText } from '@valley/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ApplicationContactDto } from '../../common/dto/contact.dto';
import { PresentMeansNotNull } from '../../common/present-means-not-null';
import { MemberConsentDto } from './member-consent.dto';
import { MemberVisibilityDto } from './member-visibility.dto';

/** Profile, contact, consent and visibility changes; only the fields given change. `null` clears an optional text. */
export class UpdateMemberDto {
  @ApiPropertyOptional({ maxLength: 300 })
  @PresentMeansNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @OneLineText()
  legalName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @PresentMeansNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @OneLineText()
  region?: string;

  @ApiPropertyOptional({ enum: OrganisationTypes })
  @PresentMeansNotNull()
  @IsIn(OrganisationTypes)
  organisationType?: OrganisationType;

  @ApiPropertyOptional({ enum: SizeClasses })
  @PresentMeansNotNull()
  @IsIn(SizeClasses)
  sizeClass?: SizeClass;

  @ApiPropertyOptional({ type: [String], example: ['C26.1'] })
  @PresentMeansNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsNaceCode({ each: true })
  sectorCodes?: string[];

  @ApiPropertyOptional({ enum: FocusAreas, isArray: true })
  @PresentMeansNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(FocusAreas, { each: true })
  focusAreas?: FocusArea[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(300)
  @OneLineText()
  website?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @LinesText()
  description?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000, description: 'Public statement.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @LinesText()
  statement?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['https'] })
  @MaxLength(500)
  @OneLineText()
  logoUrl?: string | null;

  @ApiPropertyOptional({ type: ApplicationContactDto, description: 'The whole contact.' })
  @PresentMeansNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplicationContactDto)
  contact?: ApplicationContactDto;

  @ApiPropertyOptional({ type: MemberConsentDto, description: 'The whole consent.' })
  @PresentMeansNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => MemberConsentDto)
  consent?: MemberConsentDto;

  @ApiPropertyOptional({
    type: MemberVisibilityDto,
    description:
      'Who sees each directory field; the fields named change, the others keep their choice. ' +
      'Without consent.publicContact the contact fields stay hidden whatever is chosen.',
  })
  @PresentMeansNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => MemberVisibilityDto)
  visibility?: MemberVisibilityDto;
}
