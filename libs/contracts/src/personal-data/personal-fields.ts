import type { EventType } from '../event-map';
import type { TypedEvent } from '../typed-event';

/**
 * What of an event is personal data, and where it sits: the contact person (name, email, phone),
 * and the free text an organisation writes about itself (description, statement). Producers seal
 * these into the payload's `personal` (libs/messaging's personal-data sealing), consumers open it
 * again with the organisation's key; once the key is shredded they stay absent.
 */
export const PersonalFields = ['contact', 'description', 'statement'] as const;
export type PersonalField = (typeof PersonalFields)[number];
export type PersonalParts = Partial<Record<PersonalField, unknown>>;

/** The events that carry personal fields, and the object of the payload that holds them. */
const PERSONAL_FIELDS_AT = {
  ApplicationSubmitted: 'payload',
  MemberAdmitted: 'payload',
  MemberProfileUpdated: 'changes',
} as const satisfies Partial<Record<EventType, 'payload' | 'changes'>>;
export type SealedEventType = keyof typeof PERSONAL_FIELDS_AT;

export function carriesPersonalFields(event: TypedEvent): event is TypedEvent<SealedEventType> {
  return Object.prototype.hasOwnProperty.call(PERSONAL_FIELDS_AT, event.type);
}

/** The sealed form's `personal`, when the event has one (absent on events published in the clear). */
export function sealedPersonalOf(event: TypedEvent): string | undefined {
  if (!carriesPersonalFields(event)) return undefined;
  return (event.payload as { personal?: string }).personal;
}

function holderOf(payload: Record<string, unknown>, type: SealedEventType): Record<string, unknown> {
  return PERSONAL_FIELDS_AT[type] === 'changes' ? (payload.changes as Record<string, unknown>) : payload;
}

/** The event without its personal fields (a copy), and those fields; null when it has none. */
export function takePersonalFields(event: TypedEvent): { event: TypedEvent; personal: PersonalParts | null } {
  if (!carriesPersonalFields(event)) return { event, personal: null };
  const payload = structuredClone(event.payload) as Record<string, unknown>;
  const holder = holderOf(payload, event.type);
  const personal: PersonalParts = {};
  for (const field of PersonalFields) {
    if (field in holder) {
      personal[field] = holder[field];
      delete holder[field];
    }
  }
  if (Object.keys(personal).length === 0) return { event, personal: null };
  return { event: { ...event, payload } as TypedEvent, personal };
}

/**
 * The event as its consumers read it: `personal` opened back into place (and kept, so that what
 * a consumer stores of the event, e.g. to dead-letter it later, can be the sealed form again:
 * `sealedFormOf`), or, when the organisation was erased (`null`), without `personal` and without
 * any personal field, sealed or (published before sealing) in the clear.
 */
export function restorePersonalFields<E extends TypedEvent>(event: E, personal: PersonalParts | null): E {
  if (!carriesPersonalFields(event)) return event;
  const payload = structuredClone(event.payload) as Record<string, unknown>;
  if (!personal) delete payload.personal;
  const holder = holderOf(payload, event.type);
  for (const field of PersonalFields) {
    if (!personal) delete holder[field];
    else if (field in personal) holder[field] = personal[field];
  }
  return { ...event, payload } as E;
}

/** An opened event as it travelled: its personal fields sealed only (an event in the clear stays as it is). */
export function sealedFormOf<E extends TypedEvent>(event: E): E {
  return sealedPersonalOf(event) === undefined ? event : (takePersonalFields(event).event as E);
}
