import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  FocusArea,
  FocusAreas,
  NACE_CODE_PATTERN,
  OrganisationType,
  OrganisationTypes,
  SizeClass,
  SizeClasses,
} from '../membership/vocabulary';
import { ConsentPayload, ContactPayload } from './organisation-profile';

/** Profile fields a member may change; in MemberProfileUpdated only the changed ones are present. */
export class MemberProfileChanges {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  legalName?: string;

  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  region?: string;

  @IsOptional()
  @IsIn(OrganisationTypes)
  organisationType?: OrganisationType;

  @IsOptional()
  @IsIn(SizeClasses)
  sizeClass?: SizeClass;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @Matches(NACE_CODE_PATTERN, { each: true })
  sectorCodes?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(FocusAreas, { each: true })
  focusAreas?: FocusArea[];

  @IsOptional()
  @IsUrl({ require_protocol: true })
  website?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  statement?: string | null;

  @IsOptional()
  @IsUrl({ require_protocol: true })
  logoUrl?: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => ContactPayload)
  contact?: ContactPayload;

  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentPayload)
  consent?: ConsentPayload;
}

/** A member's profile or consent changed. aggregateId = memberId. */
export class MemberProfileUpdatedV1 {
  @IsUUID()
  memberId!: string;

  /** The member's version after the change. */
  @IsInt()
  @Min(1)
  version!: number;

  /** Names of the fields that changed; `changes` holds their new values (whole objects for contact, consent). */
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  changedFields!: string[];

  @IsObject()
  @ValidateNested()
  @Type(() => MemberProfileChanges)
  changes!: MemberProfileChanges;
}

/** The coordinator suspended a member. aggregateId = memberId. */
export class MemberSuspendedV1 {
  @IsUUID()
  memberId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsISO8601({ strict: true })
  suspendedAt!: string;
}

/** The coordinator lifted a suspension. aggregateId = memberId. */
export class MemberReinstatedV1 {
  @IsUUID()
  memberId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string | null;

  @IsISO8601({ strict: true })
  reinstatedAt!: string;
}

/** A membership ended (left, excluded, dissolved). aggregateId = memberId. */
export class MembershipEndedV1 {
  @IsUUID()
  memberId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  /** The calendar day the membership ended (YYYY-MM-DD). */
  @IsISO8601({ strict: true })
  endedOn!: string;
}
