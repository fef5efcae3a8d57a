import { createEvent, MembershipType } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { memberAdmittedPayload } from '../common/event-payloads';
import { OrganisationProfile, profileOf } from '../common/organisation-profile';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { HistoryStep, recordHistory } from '../history';
import { Member } from './member.entity';
import { appendSealedToOutbox } from '../personal-data';

/**
 * Admission: how an organisation becomes a member, whichever way it comes (an admitted application,
 * a row of the CSV import, a founding partner). Its member row, the step in its history and its
 * MemberAdmitted event are written in the caller's transaction, so they commit together (outbox).
 */

/** Who is admitted: the organisation's id and profile, and the membership it gets. */
export interface Newcomer extends OrganisationProfile {
  id: string;
  applicationId: string | null;
  membershipType: MembershipType;
  admittedOn: string;
  isCoordinator?: boolean;
}

/** How it is admitted, as its history tells it. */
export interface AdmissionStep {
  action: 'admitted' | 'imported' | 'founded';
  actor: string;
  at: Date;
  reason: (member: Member) => string | null;
}

/**
 * Admits the newcomers (one multi-row insert). A unique-key violation (already a member) fails the
 * insert, unless `ifAbsent`: then who is a member already is skipped. Returns the members admitted.
 * Their history steps are recorded here, or, given `history` (the caller's steps of the same
 * transaction), added to it for the caller's one insert.
 */
export async function admitMembers(
  manager: EntityManager,
  newcomers: Newcomer[],
  step: AdmissionStep,
  { ifAbsent = false, history }: { ifAbsent?: boolean; history?: HistoryStep[] } = {},
): Promise<Member[]> {
  if (newcomers.length === 0) return [];
  const repository = manager.getRepository(Member);
  let members = newcomers.map((newcomer) =>
    repository.create({
      ...profileOf(newcomer),
      id: newcomer.id,
      applicationId: newcomer.applicationId,
      membershipType: newcomer.membershipType,
      status: 'active',
      isCoordinator: newcomer.isCoordinator ?? false,
      admittedOn: newcomer.admittedOn,
      statement: null,
      logoUrl: null,
      statusReason: null,
      endedOn: null,
    }),
  );
  if (ifAbsent) {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Member)
      .values(members)
      .orIgnore()
      .returning(['id'])
      .execute();
    const ids = new Set((inserted.raw as { id: string }[]).map((row) => row.id));
    members = members.filter((member) => ids.has(member.id));
    if (members.length === 0) return [];
  } else {
    await repository.insert(members);
  }
  const steps = members.map((member) => ({
    subject: 'member' as const,
    subjectId: member.id,
    action: step.action,
    toStatus: 'active',
    actor: step.actor,
    reason: step.reason(member),
    at: step.at,
  }));
  if (history) history.push(...steps);
  else await recordHistory(manager, steps);
  await appendSealedToOutbox(
    manager,
    members.map((member) =>
      createEvent({
        type: 'MemberAdmitted',
        producer: 'membership',
        aggregateId: member.id,
        occurredAt: step.at,
        payload: memberAdmittedPayload(member),
      }),
    ),
  );
  return members;
}

/** An organisation is a member once: who already is gets a 409 that changes nothing. */
export async function refuseExistingMember(
  manager: EntityManager,
  country: string,
  registrationCode: string,
): Promise<void> {
  if (await manager.getRepository(Member).exists({ where: { country, registrationCode } })) {
    throw new MembershipException(
      MembershipErrorCode.ALREADY_MEMBER,
      `an organisation with registration code ${registrationCode} (${country}) is already a member`,
    );
  }
}
