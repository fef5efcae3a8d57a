import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { instantiate, passesValidation } from './compiled-contract';
import { EventEnvelope } from './envelope';
import { EventContracts, EventType, isKnownEventType, PayloadOf } from './event-map';
import { NotificationSentV1 } from './events/notification.events';
import { OrganisationPayload } from './events/organisation-profile';
import { createEvent, decodeEvent, DecodeResult, describeErrors, parseEnvelopeJson, TypedEvent } from './typed-event';

/**
 * decodeEvent takes a quick path (compiled-contract.ts) where it can prove an event valid. These
 * tests hold it to the decoder it replaced, class-transformer and class-validator on every event:
 * for a valid event of every contract type and hundreds of variants of each (fields missing, null,
 * of another type, extra, oddly named), both must give the same result, down to the classes.
 */

const id = (n: number) => `3f6c1a52-8d0e-4b7a-9c21-5e4f7a9b2d1${n}`;
const organisation: OrganisationPayload = {
  legalName: 'UAB Tikslioji Mechanika',
  registrationCode: '304512876',
  country: 'LT',
  region: 'Kauno apskritis',
  organisationType: 'business',
  sizeClass: 'small',
  sectorCodes: ['C28.41', 'C25'],
  focusAreas: ['innovation_technologies', 'international_development'],
  website: 'https://tiksli-mechanika.lt',
  description: 'CNC machining and precision tooling for industrial automation.',
  contact: { name: 'Rūta Petrauskienė', email: 'ruta@tiksli-mechanika.lt', phone: '+370 612 34567', language: 'lt' },
  consent: { publicListing: true, announcements: false, publicContact: true },
};
const delivery: Omit<NotificationSentV1, 'sentAt'> = {
  deliveryId: id(5),
  causeEventId: id(6),
  causeEventType: 'MemberAdmitted',
  template: 'member-admitted',
  language: 'lt',
  recipientKind: 'member',
  attempts: 1,
};

/** A valid payload of every contract type, with every optional field present. */
const validPayloads: { [K in EventType]: PayloadOf<K> } = {
  ApplicationSubmitted: { ...organisation, applicationId: id(1), submittedAt: '2025-03-01T08:00:00.000Z' },
  ApplicationRejected: { applicationId: id(1), reason: 'Not a cluster sector.', rejectedAt: '2025-03-02T08:00:00Z' },
  ApplicationWithdrawn: { applicationId: id(1), reason: 'Changed plans.', withdrawnAt: '2025-03-02' },
  MemberAdmitted: {
    ...organisation,
    memberId: id(2),
    membershipType: 'full',
    admittedOn: '2025-03-14',
    applicationId: id(1),
    statement: 'Open to joint R&D projects.',
    logoUrl: 'https://cdn.example.lt/logos/1.png',
  },
  MemberProfileUpdated: {
    memberId: id(2),
    version: 3,
    changedFields: ['region', 'contact', 'consent'],
    changes: { region: 'Vilniaus apskritis', contact: organisation.contact, consent: organisation.consent },
  },
  MemberSuspended: { memberId: id(2), reason: 'Unpaid fee.', suspendedAt: '2025-04-01T00:00:00Z' },
  MemberReinstated: { memberId: id(2), reason: 'Paid.', reinstatedAt: '2025-04-08T00:00:00Z' },
  MembershipEnded: { memberId: id(2), reason: 'Left the cluster.', endedOn: '2025-12-31' },
  NotificationSent: { ...delivery, sentAt: '2025-03-14T09:31:00Z' },
  NotificationFailed: { ...delivery, reason: '550 mailbox unavailable', failedAt: '2025-03-14T09:31:00Z' },
};

const eventTypes = Object.keys(EventContracts) as EventType[];

function validEvent(type: EventType): Record<string, unknown> {
  const event = createEvent({
    type,
    aggregateId: id(2),
    payload: validPayloads[type],
    producer: 'membership',
    causationId: id(3),
    occurredAt: new Date('2025-03-14T09:30:00.000Z'),
  } as Parameters<typeof createEvent>[0]);
  return JSON.parse(JSON.stringify(event));
}

/** The decoder before the quick path, verbatim: the reference. */
function previousDecodeEvent(raw: string): DecodeResult {
  const parsed = parseEnvelopeJson(raw);
  if (!('json' in parsed)) return parsed;
  const options = { validationError: { target: false, value: false } };
  const envelope = Object.assign(new EventEnvelope(), parsed.json);
  const envelopeErrors = validateSync(envelope, options);
  if (envelopeErrors.length > 0) return { ok: false, reason: `invalid envelope: ${describeErrors(envelopeErrors)}` };
  if (!isKnownEventType(envelope.type)) return { ok: false, unknownType: envelope.type };
  const contract = EventContracts[envelope.type];
  if (envelope.schemaVersion !== contract.schemaVersion) {
    return { ok: false, reason: `unsupported schemaVersion ${envelope.schemaVersion} of ${envelope.type}` };
  }
  const payload = plainToInstance(contract.payload as new () => object, envelope.payload);
  const payloadErrors = validateSync(payload, options);
  if (payloadErrors.length > 0) {
    return { ok: false, reason: `invalid ${envelope.type} payload: ${describeErrors(payloadErrors)}` };
  }
  return { ok: true, event: { ...envelope, payload } as TypedEvent };
}

/** A result, or the message of what was thrown. */
function outcome(decode: (raw: string) => DecodeResult, raw: string): DecodeResult | { threw: string } {
  try {
    return decode(raw);
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

/**
 * What decodeEvent must do: what the previous decoder did, except that where class-transformer or
 * class-validator threw (they did on some odd extra fields), decodeEvent refuses with a reason.
 */
function expectedOutcome(raw: string): DecodeResult | { threw: string } {
  const previous = outcome(previousDecodeEvent, raw);
  return 'threw' in previous ? { ok: false, reason: `unreadable event: ${previous.threw}` } : previous;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** Every path to a value inside an object, arrays and nested objects included. */
function paths(value: Json, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, child]) => [
    [...prefix, key],
    ...(isObject(child) ? paths(child, [...prefix, key]) : []),
  ]);
}

/** A copy of `event` with the value at `path` replaced (or removed, for undefined), or a key added. */
function withValue(event: Json, path: string[], replacement: unknown): Json {
  const copy = structuredClone(event);
  const parent = path.slice(0, -1).reduce((node, key) => node[key] as Json, copy);
  const key = path[path.length - 1];
  if (replacement === undefined) delete parent[key];
  // `__proto__` as a JSON key is an own property, as JSON.parse makes it.
  else Object.defineProperty(parent, key, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

const REPLACEMENTS: unknown[] = [undefined, null, 0, 42, -1, 1.5, '', 'x', ' ', true, false, [], ['x'], {}, { a: 1 }];
const ODD_KEYS = ['extra', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype'];

/** The valid event, then every value replaced by every REPLACEMENT and by copies of its neighbours, then odd keys added. */
function variants(type: EventType): Json[] {
  const event = validEvent(type);
  const all = paths(event);
  const result: Json[] = [event];
  for (const path of all) {
    const current = path.reduce<unknown>((node, key) => (node as Json)[key], event);
    const others = all.map((other) => other.reduce<unknown>((node, key) => (node as Json)[key], event));
    for (const replacement of [...REPLACEMENTS, [current], ...new Set(others)]) {
      result.push(withValue(event, path, replacement));
    }
  }
  const objects = [
    [],
    ...all.filter((path) => isObject(path.reduce<unknown>((node, key) => (node as Json)[key], event))),
  ];
  for (const path of objects) {
    for (const key of ODD_KEYS) {
      for (const value of ['x', 1, null, {}, { toString: 'x', b: [{ valueOf: 1 }] }, { a: { constructor: 1 } }]) {
        result.push(withValue(event, [...path, key], value));
      }
    }
  }
  return result;
}

describe('decodeEvent, quick path against the previous decoder', () => {
  describe.each(eventTypes)('%s', (type) => {
    const cases = variants(type).map((event) => JSON.stringify(event));

    it('decodes every variant exactly as before: same results, same reasons, same classes', () => {
      const differences = cases.filter((raw) => !equals(outcome(decodeEvent, raw), expectedOutcome(raw)));
      expect(differences).toEqual([]);
    });

    it('has variants that are accepted, refused for the envelope and refused for the payload', () => {
      const results = cases.map((raw) => outcome(decodeEvent, raw));
      expect(results.filter((r) => 'ok' in r && r.ok).length).toBeGreaterThan(10);
      expect(results.filter((r) => 'reason' in r && r.reason.startsWith('invalid envelope')).length).toBeGreaterThan(
        10,
      );
      expect(
        results.filter((r) => 'reason' in r && r.reason.startsWith(`invalid ${type} payload`)).length,
      ).toBeGreaterThan(10);
    });

    it('proves the valid event on the quick path (else decoding is correct but slow again)', () => {
      const payload = instantiate(EventContracts[type].payload as new () => object, validEvent(type).payload as object);
      expect(payload).toBeInstanceOf(EventContracts[type].payload);
      expect(passesValidation(payload!)).toBe(true);
    });
  });

  it('gives the same answer on odd envelopes', () => {
    const event = validEvent('MemberAdmitted');
    const odd = [
      ...ODD_KEYS.map((key) => withValue(event, [key], { a: 1 })),
      withValue(event, ['type'], 'MemberTeleportedToMoonBase'),
      withValue(event, ['schemaVersion'], 2),
      withValue(event, ['payload'], []),
    ].map((json) => JSON.stringify(json));
    for (const raw of [...odd, '[]', '"x"', 'null', '{', '{}']) {
      expect(outcome(decodeEvent, raw)).toStrictEqual(expectedOutcome(raw));
    }
  });
});

/** toStrictEqual as a boolean: same values, same classes, same undefined properties. */
function equals(a: unknown, b: unknown): boolean {
  try {
    expect(a).toStrictEqual(b);
    return true;
  } catch {
    return false;
  }
}
