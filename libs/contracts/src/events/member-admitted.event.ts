import { IsIn, IsISO8601, IsUUID } from 'class-validator';
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
}
