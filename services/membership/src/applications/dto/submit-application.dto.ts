import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ContactLanguage,
  ContactLanguages,
  FocusArea,
  FocusAreas,
  IsNaceCode,
  OrganisationType,
  OrganisationTypes,
  SizeClass,
  SizeClasses,
} from '@valley/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsRegistrationCodeOfCountry } from '../validation/lithuanian-company-code';

export class ApplicationContactDto {
  @ApiProperty({ example: 'Rūta Petrauskienė', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'ruta@example.lt' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: '+370 600 00000', maxLength: 40 })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{5,40}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) -)' })
  phone?: string;

  @ApiProperty({ enum: ContactLanguages, description: 'Language of the emails this contact gets.' })
  @IsIn(ContactLanguages)
  language!: ContactLanguage;
}

export class ApplicationConsentDto {
  @ApiProperty({ description: 'The organisation may appear in the public member directory.' })
  @IsBoolean()
  publicListing!: boolean;

  @ApiProperty({ description: "The contact wants the cluster's announcements." })
  @IsBoolean()
  announcements!: boolean;
}

export class SubmitApplicationDto {
  @ApiProperty({ example: 'UAB Šiaulių Metalas', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
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
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(300)
  website?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
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
