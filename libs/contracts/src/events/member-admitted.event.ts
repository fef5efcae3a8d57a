import { IsIn, IsISO8601, IsOptional, IsString, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { MembershipType, MembershipTypes } from '../membership/vocabulary';
import { OrganisationPayload } from './organisation-profile';

/** The coordinator admitted an organisation (or it is a founding member). aggregateId = memberId. */
export class MemberAdmittedV1 extends OrganisationPayload {
  /** The organisation's id: the same id it had as an applicant. */
  @IsUUID()
  memberId!: string;

  @IsIn(MembershipTypes)
  membershipType!: MembershipType;

  /** The calendar day of admission (YYYY-MM-DD). */
  @IsISO8601({ strict: true })
  admittedOn!: string;

  /** The application it was admitted from; absent for founding members. */
  @IsOptional()
  @IsUUID()
  applicationId?: string | null;

  /** The member's public statement, shown in the directory and announcements. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  statement?: string | null;

  @IsOptional()
  @IsUrl({ require_protocol: true })
  logoUrl?: string | null;
}
