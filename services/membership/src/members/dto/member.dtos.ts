import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FocusArea,
  FocusAreas,
  IsNaceCode,
  MembershipType,
  MembershipTypes,
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
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/page';
import { ApplicationContactDto } from '../../applications/dto/submit-application.dto';
import { ConsentView, ContactView } from '../../applications/dto/application.responses';
import { MemberStatus, MemberStatuses } from '../member.entity';

/** Optional, but when given it must be valid: `null` is refused (unlike IsOptional, which lets null through). */
const PresentMeansNotNull = () => ValidateIf((_: object, value: unknown) => value !== undefined);

export class MemberIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'id must be a member id (a UUID)' })
  id!: string;
}

export class MemberConsentDto {
  @ApiProperty()
  @IsBoolean()
  publicListing!: boolean;

  @ApiProperty()
  @IsBoolean()
  announcements!: boolean;

  @ApiPropertyOptional({ description: 'The directory may show the contact’s name, email and phone.' })
  @IsOptional()
  @IsBoolean()
  publicContact?: boolean;
}

/** Profile and consent changes; only the fields given change. `null` clears an optional text. */
export class UpdateMemberDto {
  @ApiPropertyOptional({ maxLength: 300 })
  @PresentMeansNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  legalName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @PresentMeansNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
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
  website?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000, description: 'Public statement.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  statement?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['https'] })
  @MaxLength(500)
  logoUrl?: string | null;

  @ApiPropertyOptional({ type: ApplicationContactDto, description: 'The whole contact.' })
  @PresentMeansNotNull()
  @ValidateNested()
  @Type(() => ApplicationContactDto)
  contact?: ApplicationContactDto;

  @ApiPropertyOptional({ type: MemberConsentDto, description: 'The whole consent.' })
  @PresentMeansNotNull()
  @ValidateNested()
  @Type(() => MemberConsentDto)
  consent?: MemberConsentDto;
}

export class SuspendMemberDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ReinstateMemberDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class EndMembershipDto {
  @ApiProperty({ maxLength: 2000, description: 'Left, excluded, dissolved…' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ListMembersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MemberStatuses })
  @IsOptional()
  @IsIn(MemberStatuses)
  status?: MemberStatus;
}

export class MemberView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  applicationId!: string | null;

  @ApiProperty({ enum: MembershipTypes })
  membershipType!: MembershipType;

  @ApiProperty({ enum: MemberStatuses })
  status!: MemberStatus;

  @ApiProperty({ nullable: true, type: String })
  statusReason!: string | null;

  @ApiProperty()
  isCoordinator!: boolean;

  @ApiProperty({ format: 'date' })
  admittedOn!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  endedOn!: string | null;

  @ApiProperty()
  legalName!: string;

  @ApiProperty()
  registrationCode!: string;

  @ApiProperty()
  country!: string;

  @ApiProperty()
  region!: string;

  @ApiProperty({ enum: OrganisationTypes })
  organisationType!: OrganisationType;

  @ApiProperty({ enum: SizeClasses })
  sizeClass!: SizeClass;

  @ApiProperty({ type: [String] })
  sectorCodes!: string[];

  @ApiProperty({ enum: FocusAreas, isArray: true })
  focusAreas!: FocusArea[];

  @ApiProperty({ nullable: true, type: String })
  website!: string | null;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({ nullable: true, type: String })
  statement!: string | null;

  @ApiProperty({ nullable: true, type: String })
  logoUrl!: string | null;

  @ApiProperty({ type: ContactView })
  contact!: ContactView;

  @ApiProperty({ type: ConsentView })
  consent!: ConsentView;

  @ApiProperty({ description: 'Send it back in If-Match to change the member.' })
  version!: number;
}

export class MemberPage {
  @ApiProperty({ type: [MemberView] })
  items!: MemberView[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}
