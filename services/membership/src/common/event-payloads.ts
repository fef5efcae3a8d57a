import type {
  ContactLanguage,
  FieldVisibility,
  MembershipType,
  MemberProfileChanges,
  PayloadOf,
} from '@valley/contracts';
import { clusterDate } from './cluster-calendar';
import { OrganisationProfile, profileOf } from './organisation-profile';

/**
 * Every payload membership publishes, built from its rows: the one place where an application or a
 * member becomes what the other services read (`libs/contracts` says what each payload must be).
 */

/** What an application's events read of it. */
type ApplicationFacts = OrganisationProfile & { id: string; submittedAt: Date };

/** What a member's events read of it. */
type MemberFacts = OrganisationProfile & {
  id: string;
  membershipType: MembershipType;
  admittedOn: string;
  applicationId: string | null;
  statement: string | null;
  logoUrl: string | null;
  visibility?: FieldVisibility | null;
  version: number;
};

/** The profile as events carry it: an erased contact (null) is no contact at all. */
function profilePayload(source: OrganisationProfile) {
  const { contact, ...profile } = profileOf(source);
  return contact ? { ...profile, contact } : profile;
}

export function applicationSubmittedPayload(application: ApplicationFacts): PayloadOf<'ApplicationSubmitted'> {
  return {
    applicationId: application.id,
    submittedAt: application.submittedAt.toISOString(),
    ...profilePayload(application),
  };
}

/** The applicant's token, for the acknowledgement email's status link (a secret: see isSecretTopic). */
export function applicantAccessIssuedPayload(
  application: Pick<ApplicationFacts, 'id'>,
  applicantToken: string,
): PayloadOf<'ApplicantAccessIssued'> {
  return { applicationId: application.id, applicantToken };
}

/** A member's one-time sign-in token, for the email that carries the link (a secret: see isSecretTopic). */
export function memberSignInLinkIssuedPayload(link: {
  memberId: string;
  email: string;
  language: ContactLanguage;
  signInToken: string;
  expiresAt: Date;
}): PayloadOf<'MemberSignInLinkIssued'> {
  return { ...link, expiresAt: link.expiresAt.toISOString() };
}

export function applicationRejectedPayload(
  application: Pick<ApplicationFacts, 'id'>,
  reason: string,
  at: Date,
): PayloadOf<'ApplicationRejected'> {
  return { applicationId: application.id, reason, rejectedAt: at.toISOString() };
}

export function applicationWithdrawnPayload(
  application: Pick<ApplicationFacts, 'id'>,
  reason: string | undefined,
  at: Date,
): PayloadOf<'ApplicationWithdrawn'> {
  return { applicationId: application.id, reason: reason ?? null, withdrawnAt: at.toISOString() };
}

export function memberAdmittedPayload(member: Omit<MemberFacts, 'version'>): PayloadOf<'MemberAdmitted'> {
  return {
    memberId: member.id,
    membershipType: member.membershipType,
    admittedOn: member.admittedOn,
    applicationId: member.applicationId ?? null,
    statement: member.statement ?? null,
    logoUrl: member.logoUrl ?? null,
    ...(member.visibility ? { visibility: member.visibility } : {}),
    ...profilePayload(member),
  };
}

/** What a profile change changed: the new values of the changed fields only. */
export function memberProfileUpdatedPayload(
  member: Pick<MemberFacts, 'id' | 'version'>,
  changes: MemberProfileChanges,
): PayloadOf<'MemberProfileUpdated'> {
  return { memberId: member.id, version: member.version, changedFields: Object.keys(changes), changes };
}

export function memberSuspendedPayload(
  member: Pick<MemberFacts, 'id'>,
  reason: string,
  at: Date,
): PayloadOf<'MemberSuspended'> {
  return { memberId: member.id, reason, suspendedAt: at.toISOString() };
}

export function memberReinstatedPayload(
  member: Pick<MemberFacts, 'id'>,
  reason: string | undefined,
  at: Date,
): PayloadOf<'MemberReinstated'> {
  return { memberId: member.id, reason: reason ?? null, reinstatedAt: at.toISOString() };
}

export function membershipEndedPayload(
  member: Pick<MemberFacts, 'id'>,
  reason: string,
  at: Date,
): PayloadOf<'MembershipEnded'> {
  return { memberId: member.id, reason, endedOn: clusterDate(at) };
}
