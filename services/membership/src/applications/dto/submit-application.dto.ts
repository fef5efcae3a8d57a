import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  IsDefined,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsNotEmptyObject,
  IsObject,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsRegistrationCodeOfCountry } from '../validation/lithuanian-company-code';
import { ApplicationContactDto } from '../../common/dto/contact.dto';
import { PresentMeansNotNull } from '../../common/present-means-not-null';
import { ApplicationConsentDto } from './application-consent.dto';

export class SubmitApplicationDto {
  @ApiProperty({ example: 'UAB Šiaulių Metalas', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @OneLineText()
  legalName!: string;

  @ApiProperty({
    example: '302512340',
    description: 'Company registration code in its country; for LT a 9-digit company code with a valid check digit.',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,40}$/, { message: 'registrationCode must be 2 to 40 letters, digits or dashes' })
  @IsRegistrationCodeOfCountry()
  registrationCode!: string;

  @ApiProperty({ example: 'LT', description: 'ISO 3166-1 alpha-2.' })
  @IsISO31661Alpha2()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be written in capitals, such as LT' })
  country!: string;

  @ApiProperty({ example: 'Šiaulių apskritis', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @OneLineText()
  region!: string;

  @ApiProperty({ enum: OrganisationTypes })
  @IsIn(OrganisationTypes)
  organisationType!: OrganisationType;

  @ApiProperty({ enum: SizeClasses, description: 'EU SME size class.' })
  @IsIn(SizeClasses)
  sizeClass!: SizeClass;

  @ApiProperty({ type: [String], example: ['C25.62'], description: 'NACE Rev. 2 codes, at least one.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsNaceCode({ each: true })
  sectorCodes!: string[];

  @ApiProperty({ enum: FocusAreas, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(FocusAreas, { each: true })
  focusAreas!: FocusArea[];

  @ApiPropertyOptional({ example: 'https://example.lt' })
  @PresentMeansNotNull()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(300)
  @OneLineText()
  website?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @PresentMeansNotNull()
  @IsString()
  @MaxLength(5000)
  @LinesText()
  description?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @PresentMeansNotNull()
  @IsString()
  @MaxLength(5000)
  @LinesText()
  motivation?: string;

  @ApiProperty({ type: ApplicationContactDto })
  @IsDefined()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ApplicationContactDto)
  contact!: ApplicationContactDto;

  @ApiProperty({ type: ApplicationConsentDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplicationConsentDto)
  consent!: ApplicationConsentDto;
}
