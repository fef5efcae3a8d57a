import { createEvent, TypedEvent } from '@valley/contracts';
import { randomUUID } from 'node:crypto';

/** A valid MemberAdmitted event for a new organisation; override any payload field. */
export function memberAdmittedEvent(
  overrides: Partial<TypedEvent<'MemberAdmitted'>['payload']> = {},
  occurredAt = new Date(),
): TypedEvent<'MemberAdmitted'> {
  const memberId = overrides.memberId ?? randomUUID();
  return createEvent({
    type: 'MemberAdmitted',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt,
    payload: {
      memberId,
      membershipType: 'full',
      admittedOn: occurredAt.toISOString().slice(0, 10),
      legalName: `Bandymų Gamykla ${memberId.slice(0, 6)} UAB`,
      registrationCode: String(300_000_000 + Math.floor(Math.random() * 99_999_999)),
      country: 'LT',
      region: 'Kauno apskritis',
      organisationType: 'business',
      sizeClass: 'medium',
      sectorCodes: ['C28.4'],
      focusAreas: ['innovation_technologies'],
      website: null,
      description: 'Machine tools.',
      contact: { name: 'Ona Onaitė', email: `ona+${memberId.slice(0, 6)}@example.lt`, language: 'en' },
      consent: { publicListing: true, announcements: true },
      ...overrides,
    },
  });
}
