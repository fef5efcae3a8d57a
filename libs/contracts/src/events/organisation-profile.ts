import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  ContactLanguage,
  ContactLanguages,
  FocusArea,
  FocusAreas,
  NACE_CODE_PATTERN,
  OrganisationType,
  OrganisationTypes,
  SizeClass,
  SizeClasses,
} from '../membership/vocabulary';

/** Parts of an organisation that several events carry. */

export class ContactPayload {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsEmail()
  email!: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @IsIn(ContactLanguages)
  language!: ContactLanguage;
}

export class ConsentPayload {
  /** The member may appear in the public directory. */
  @IsBoolean()
  publicListing!: boolean;

  /** The contact wants the cluster's announcements (new members, news). */
  @IsBoolean()
  announcements!: boolean;

  /** The directory may show the contact's name, email and phone (absent: no). */
  @IsOptional()
  @IsBoolean()
  publicContact?: boolean;
}

export class OrganisationPayload {
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  legalName!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  registrationCode!: string;

  @IsISO31661Alpha2()
  country!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  region!: string;

  @IsIn(OrganisationTypes)
  organisationType!: OrganisationType;

  @IsIn(SizeClasses)
  sizeClass!: SizeClass;

  @IsArray()
  @ArrayMinSize(1)
  @Matches(NACE_CODE_PATTERN, { each: true })
  sectorCodes!: string[];

  @IsArray()
  @ArrayMinSize(1)
  @IsIn(FocusAreas, { each: true })
  focusAreas!: FocusArea[];

  @IsOptional()
  @IsUrl({ require_protocol: true })
  website?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactPayload)
  contact!: ContactPayload;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentPayload)
  consent!: ConsentPayload;
}
