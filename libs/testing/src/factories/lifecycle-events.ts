import { ContactLanguage, createEvent, PayloadOf, Topics, TypedEvent } from '@valley/contracts';
import { KafkaTestClient } from '../kafka/kafka-test-client';
import { profileUpdated } from './member-events.factory';
import { createHash, randomUUID } from 'node:crypto';

/** Lifecycle events as membership publishes them, for notifications' tests and benchmark. */

export interface TestContact {
  name: string;
  email: string;
  language: ContactLanguage;
}

/** A contact with an address no other test uses. */
export function testContact(tag: string, language: ContactLanguage = 'en'): TestContact {
  const id = randomUUID().slice(0, 8);
  return { name: `${tag} ${id}`, email: `${tag.toLowerCase()}-${id}@example.lt`, language };
}

function organisation(organisationId: string, contact: TestContact, announcements: boolean) {
  return {
    legalName: `Bandymų Gamykla ${organisationId.slice(0, 6)} UAB`,
    registrationCode: String(300_000_000 + Math.floor(Math.random() * 99_999_999)),
    country: 'LT',
    region: 'Kauno apskritis',
    organisationType: 'business' as const,
    sizeClass: 'medium' as const,
    sectorCodes: ['C28.4'],
    focusAreas: ['innovation_technologies' as const, 'cooperation' as const],
    website: null,
    description: 'Machine tools.',
    contact,
    consent: { publicListing: true, announcements },
  };
}

export function applicationSubmitted(
  contact: TestContact,
  options: { organisationId?: string; announcements?: boolean } = {},
): TypedEvent<'ApplicationSubmitted'> {
  const organisationId = options.organisationId ?? randomUUID();
  return createEvent({
    type: 'ApplicationSubmitted',
    producer: 'membership',
    aggregateId: organisationId,
    payload: {
      ...organisation(organisationId, contact, options.announcements ?? false),
      applicationId: randomUUID(),
      submittedAt: new Date().toISOString(),
    },
  });
}

/** Announcements are off unless asked for, so that a test's members do not hear of other tests' admissions. */
export function memberAdmitted(
  contact: TestContact,
  options: {
    organisationId?: string;
    announcements?: boolean;
    founding?: boolean;
    payload?: Partial<PayloadOf<'MemberAdmitted'>>;
  } = {},
): TypedEvent<'MemberAdmitted'> {
  const memberId = options.organisationId ?? randomUUID();
  return createEvent({
    type: 'MemberAdmitted',
    producer: 'membership',
    aggregateId: memberId,
    payload: {
      ...organisation(memberId, contact, options.announcements ?? false),
      memberId,
      membershipType: options.founding ? 'founding' : 'full',
      admittedOn: new Date().toISOString().slice(0, 10),
      applicationId: options.founding ? null : randomUUID(),
      statement: 'We make machine tools and want partners for automation projects.',
      ...options.payload,
    },
  });
}

export function applicationRejected(
  submitted: TypedEvent<'ApplicationSubmitted'>,
  reason: string,
): TypedEvent<'ApplicationRejected'> {
  return createEvent({
    type: 'ApplicationRejected',
    producer: 'membership',
    aggregateId: submitted.aggregateId,
    causationId: submitted.eventId,
    payload: { applicationId: submitted.payload.applicationId, reason, rejectedAt: new Date().toISOString() },
  });
}

export function memberSuspended(memberId: string, reason: string): TypedEvent<'MemberSuspended'> {
  return createEvent({
    type: 'MemberSuspended',
    producer: 'membership',
    aggregateId: memberId,
    payload: { memberId, reason, suspendedAt: new Date().toISOString() },
  });
}

export function memberReinstated(memberId: string): TypedEvent<'MemberReinstated'> {
  return createEvent({
    type: 'MemberReinstated',
    producer: 'membership',
    aggregateId: memberId,
    payload: { memberId, reason: null, reinstatedAt: new Date().toISOString() },
  });
}

export function membershipEnded(memberId: string, reason: string): TypedEvent<'MembershipEnded'> {
  return createEvent({
    type: 'MembershipEnded',
    producer: 'membership',
    aggregateId: memberId,
    payload: { memberId, reason, endedOn: new Date().toISOString().slice(0, 10) },
  });
}

export function memberProfileUpdated(
  memberId: string,
  version: number,
  changes: PayloadOf<'MemberProfileUpdated'>['changes'],
): TypedEvent<'MemberProfileUpdated'> {
  return profileUpdated(memberId, changes, version, new Date());
}

/** The applicant token these tests give an application (membership's are random). */
export function testApplicantToken(applicationId: string): string {
  return createHash('sha256').update(applicationId).digest('base64url');
}

/**
 * Publishes events as membership's outbox relay does: keyed by the organisation's id, and with
 * each ApplicationSubmitted its ApplicantAccessIssued on the access topic.
 */
export async function publish(kafka: KafkaTestClient, events: TypedEvent[]) {
  const sent = await kafka.produce(
    Topics.MembershipLifecycle,
    events.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) })),
  );
  const access = events
    .filter((event): event is TypedEvent<'ApplicationSubmitted'> => event.type === 'ApplicationSubmitted')
    .map((submitted) =>
      createEvent({
        type: 'ApplicantAccessIssued',
        producer: 'membership',
        aggregateId: submitted.aggregateId,
        causationId: submitted.eventId,
        payload: {
          applicationId: submitted.payload.applicationId,
          applicantToken: testApplicantToken(submitted.payload.applicationId),
        },
      }),
    );
  if (access.length > 0) {
    await kafka.produce(
      Topics.MembershipAccess,
      access.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) })),
    );
  }
  return sent;
}
