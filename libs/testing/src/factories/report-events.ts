import { createEvent, TypedEvent } from '@valley/contracts';
import { randomUUID } from 'node:crypto';
import { profileUpdated } from './member-events.factory';

/**
 * Event factories for reporting's tests and benchmark: each makes a valid event of the given
 * type at the given time (`occurredAt`), keyed as membership and notifications key them.
 */

export interface OrganisationFields {
  country?: string;
  region?: string;
  organisationType?: 'business' | 'science_academic' | 'public_body' | 'association' | 'other';
  sizeClass?: 'micro' | 'small' | 'medium' | 'large';
  sectorCodes?: string[];
  focusAreas?: TypedEvent<'MemberAdmitted'>['payload']['focusAreas'];
}

function organisation(id: string, fields: OrganisationFields) {
  return {
    legalName: `Bandymų Įmonė ${id.slice(0, 8)} UAB`,
    registrationCode: String(300_000_000 + (parseInt(id.slice(0, 6), 16) % 99_999_999)),
    country: fields.country ?? 'LT',
    region: fields.region ?? 'Kauno apskritis',
    organisationType: fields.organisationType ?? 'business',
    sizeClass: fields.sizeClass ?? 'small',
    sectorCodes: fields.sectorCodes ?? ['C28.4'],
    focusAreas: fields.focusAreas ?? ['innovation_technologies'],
    website: null,
    description: 'Precision machining.',
    contact: { name: 'Ona Onaitė', email: `ona.${id.slice(0, 8)}@example.lt`, language: 'lt' as const },
    consent: { publicListing: true, announcements: true },
  };
}

export function applicationSubmitted(
  organisationId: string,
  at: string,
  fields: OrganisationFields = {},
  applicationId: string = randomUUID(),
): TypedEvent<'ApplicationSubmitted'> {
  return createEvent({
    type: 'ApplicationSubmitted',
    producer: 'membership',
    aggregateId: organisationId,
    occurredAt: new Date(at),
    payload: { ...organisation(organisationId, fields), applicationId, submittedAt: at },
  });
}

export function memberAdmitted(
  memberId: string,
  at: string,
  fields: OrganisationFields = {},
  applicationId: string | null = null,
): TypedEvent<'MemberAdmitted'> {
  return createEvent({
    type: 'MemberAdmitted',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt: new Date(at),
    payload: {
      ...organisation(memberId, fields),
      memberId,
      membershipType: applicationId ? 'full' : 'founding',
      admittedOn: at.slice(0, 10),
      applicationId,
    },
  });
}

export function applicationRejected(
  organisationId: string,
  applicationId: string,
  at: string,
): TypedEvent<'ApplicationRejected'> {
  return createEvent({
    type: 'ApplicationRejected',
    producer: 'membership',
    aggregateId: organisationId,
    occurredAt: new Date(at),
    payload: { applicationId, reason: 'Outside the cluster’s field.', rejectedAt: at },
  });
}

export function applicationWithdrawn(
  organisationId: string,
  applicationId: string,
  at: string,
): TypedEvent<'ApplicationWithdrawn'> {
  return createEvent({
    type: 'ApplicationWithdrawn',
    producer: 'membership',
    aggregateId: organisationId,
    occurredAt: new Date(at),
    payload: { applicationId, reason: null, withdrawnAt: at },
  });
}

export function memberProfileUpdated(
  memberId: string,
  at: string,
  changes: TypedEvent<'MemberProfileUpdated'>['payload']['changes'],
  version = 2,
): TypedEvent<'MemberProfileUpdated'> {
  return profileUpdated(memberId, changes, version, new Date(at));
}

export function memberSuspended(memberId: string, at: string): TypedEvent<'MemberSuspended'> {
  return createEvent({
    type: 'MemberSuspended',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt: new Date(at),
    payload: { memberId, reason: 'Unpaid fee.', suspendedAt: at },
  });
}

export function memberReinstated(memberId: string, at: string): TypedEvent<'MemberReinstated'> {
  return createEvent({
    type: 'MemberReinstated',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt: new Date(at),
    payload: { memberId, reason: null, reinstatedAt: at },
  });
}

export function membershipEnded(memberId: string, at: string): TypedEvent<'MembershipEnded'> {
  return createEvent({
    type: 'MembershipEnded',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt: new Date(at),
    payload: { memberId, reason: 'Left the cluster.', endedOn: at.slice(0, 10) },
  });
}

export function notificationOutcome(
  outcome: 'sent' | 'failed',
  at: string,
  template: string,
  language: 'lt' | 'en',
  deliveryId: string = randomUUID(),
): TypedEvent<'NotificationSent' | 'NotificationFailed'> {
  const base = {
    deliveryId,
    causeEventId: randomUUID(),
    causeEventType: 'MemberAdmitted',
    template,
    language,
    recipientKind: 'member' as const,
    attempts: 1,
  };
  return outcome === 'sent'
    ? createEvent({
        type: 'NotificationSent',
        producer: 'notifications',
        aggregateId: deliveryId,
        occurredAt: new Date(at),
        payload: { ...base, sentAt: at },
      })
    : createEvent({
        type: 'NotificationFailed',
        producer: 'notifications',
        aggregateId: deliveryId,
        occurredAt: new Date(at),
        payload: { ...base, reason: '550 mailbox unavailable', failedAt: at },
      });
}

/** A bounce as notifications announces it; `deliveryId` null for a bounce report naming no message of ours. */
export function notificationBounced(
  at: string,
  deliveryId: string | null,
  source: 'smtp' | 'dsn' = 'dsn',
): TypedEvent<'NotificationBounced'> {
  return createEvent({
    type: 'NotificationBounced',
    producer: 'notifications',
    aggregateId: deliveryId ?? randomUUID(),
    occurredAt: new Date(at),
    payload: { deliveryId, source, statusCode: '5.1.1', bouncedAt: at },
  });
}
