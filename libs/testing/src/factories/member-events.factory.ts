import { createEvent, MemberProfileChanges, Topics, TypedEvent } from '@valley/contracts';
import { memberAdmittedEvent } from './member-admitted.factory';

/**
 * Membership events for tests and benchmarks, made with the contracts'
 * `createEvent` so that they are exactly what membership publishes.
 */

type AdmittedPayload = TypedEvent<'MemberAdmitted'>['payload'];

let clock = Date.UTC(2026, 0, 1);
/** Strictly increasing event times, so that a test's events have a clear order. */
export function nextInstant(): Date {
  clock += 1_000;
  return new Date(clock);
}

/** A MemberAdmitted event (the shared factory's defaults), at the next instant unless told. */
export function admitted(overrides: Partial<AdmittedPayload> = {}, occurredAt = nextInstant()) {
  return memberAdmittedEvent(overrides, occurredAt);
}

export function profileUpdated(
  memberId: string,
  changes: MemberProfileChanges,
  version = 2,
  occurredAt = nextInstant(),
) {
  return createEvent({
    type: 'MemberProfileUpdated',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt,
    payload: { memberId, version, changedFields: Object.keys(changes), changes },
  });
}

export function suspended(memberId: string, occurredAt = nextInstant()) {
  return createEvent({
    type: 'MemberSuspended',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt,
    payload: { memberId, reason: 'Unpaid fees.', suspendedAt: occurredAt.toISOString() },
  });
}

export function reinstated(memberId: string, occurredAt = nextInstant()) {
  return createEvent({
    type: 'MemberReinstated',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt,
    payload: { memberId, reason: null, reinstatedAt: occurredAt.toISOString() },
  });
}

export function ended(memberId: string, occurredAt = nextInstant()) {
  return createEvent({
    type: 'MembershipEnded',
    producer: 'membership',
    aggregateId: memberId,
    occurredAt,
    payload: { memberId, reason: 'Left the cluster.', endedOn: occurredAt.toISOString().slice(0, 10) },
  });
}

/** Kafka messages for events, keyed by their aggregate (as membership's relay sends them). */
export function toMessages(events: TypedEvent[]): { key: string; value: string }[] {
  return events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) }));
}

export const MEMBERSHIP_TOPIC = Topics.MembershipLifecycle;
