import { randomUUID } from 'node:crypto';
import { EventContracts, isKnownEventType } from './event-map';
import { MemberAdmittedV1 } from './events/member-admitted.event';
import { createEvent, decodeEvent, DecodeResult, TypedEvent } from './typed-event';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const memberId = '3f6c1a52-8d0e-4b7a-9c21-5e4f7a9b2d10';

/** A well-formed type name that this contracts version does not (and never will) define. */
const FUTURE_TYPE = 'MemberTeleportedToMoonBase';

function memberAdmittedPayload(): MemberAdmittedV1 {
  return {
    memberId,
    membershipType: 'full',
    admittedOn: '2025-03-14',
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
    contact: {
      name: 'Rūta Petrauskienė',
      email: 'ruta.petrauskiene@tiksli-mechanika.lt',
      phone: '+370 612 34567',
      language: 'lt',
    },
    consent: { publicListing: true, announcements: false },
  };
}

function memberAdmitted(): TypedEvent<'MemberAdmitted'> {
  return createEvent({
    type: 'MemberAdmitted',
    aggregateId: memberId,
    payload: memberAdmittedPayload(),
    producer: 'membership',
    occurredAt: new Date('2025-03-14T09:30:00.000Z'),
  });
}

/** The event as it travels: a plain JSON object, freely mutable for the negative cases. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the negative cases mutate arbitrary paths
function wire(): Record<string, any> {
  return JSON.parse(JSON.stringify(memberAdmitted()));
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

function expectReason(result: DecodeResult): string {
  if (result.ok || !('reason' in result))
    throw new Error(`expected a rejection with a reason, got ${JSON.stringify(result)}`);
  return result.reason;
}

describe('createEvent', () => {
  it('fills the envelope from the contract and the input', () => {
    const event = memberAdmitted();

    expect(event.eventId).toMatch(UUID_V4);
    expect(event.type).toBe('MemberAdmitted');
    expect(event.schemaVersion).toBe(EventContracts.MemberAdmitted.schemaVersion);
    expect(event.occurredAt).toBe('2025-03-14T09:30:00.000Z');
    expect(event.aggregateId).toBe(memberId);
    expect(event.producer).toBe('membership');
    expect(event.causationId).toBeNull();
    expect(event.payload).toEqual(memberAdmittedPayload());
  });

  it('starts a new correlation (correlationId = eventId) when none is given', () => {
    const event = memberAdmitted();
    expect(event.correlationId).toBe(event.eventId);
  });

  it('keeps a given correlationId and causationId', () => {
    const correlationId = randomUUID();
    const causationId = randomUUID();
    const event = createEvent({
      type: 'MemberAdmitted',
      aggregateId: memberId,
      payload: memberAdmittedPayload(),
      producer: 'membership',
      correlationId,
      causationId,
    });

    expect(event.correlationId).toBe(correlationId);
    expect(event.causationId).toBe(causationId);
    expect(event.eventId).not.toBe(correlationId);
  });

  it('gives every event its own id and stamps the current time by default', () => {
    const before = Date.now();
    const a = createEvent({
      type: 'MemberAdmitted',
      aggregateId: memberId,
      payload: memberAdmittedPayload(),
      producer: 'membership',
    });
    const b = createEvent({
      type: 'MemberAdmitted',
      aggregateId: memberId,
      payload: memberAdmittedPayload(),
      producer: 'membership',
    });

    expect(a.eventId).not.toBe(b.eventId);
    const occurredAt = Date.parse(a.occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before);
    expect(occurredAt).toBeLessThanOrEqual(Date.now());
  });
});

describe('decodeEvent', () => {
  it('accepts a valid MemberAdmitted and hands it over as it was published', () => {
    const original = memberAdmitted();
    const result = decodeEvent(encode(original));

    if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result)}`);
    expect(result.event).toEqual(original);
  });

  it('accepts the same event given as a string', () => {
    const original = memberAdmitted();
    const result = decodeEvent(JSON.stringify(original));
    expect(result.ok && result.event.eventId).toBe(original.eventId);
  });

  it('tolerates extra payload fields (producers may add optional ones)', () => {
    const json = wire();
    json.payload.linkedInPage = 'https://www.linkedin.com/company/tiksli-mechanika';
    json.payload.contact.title = 'CEO';

    const result = decodeEvent(encode(json));

    expect(result.ok).toBe(true);
  });

  it('accepts a payload without its optional fields', () => {
    const json = wire();
    delete json.payload.website;
    delete json.payload.description;
    delete json.payload.contact.phone;

    expect(decodeEvent(encode(json)).ok).toBe(true);
  });

  describe('rejects with a reason', () => {
    it('non-JSON bytes', () => {
      expect(expectReason(decodeEvent(Buffer.from('{"eventId": "3f6c1a52')))).toMatch(/^not JSON: /);
    });

    it('a JSON array', () => {
      expect(expectReason(decodeEvent(encode([memberAdmitted()])))).toBe('envelope is not a JSON object');
    });

    it('a JSON scalar', () => {
      expect(expectReason(decodeEvent(Buffer.from('"MemberAdmitted"')))).toBe('envelope is not a JSON object');
    });

    it('a null value (tombstone)', () => {
      expect(expectReason(decodeEvent(null))).toMatch(/tombstone/);
    });

    it('a missing eventId', () => {
      const json = wire();
      delete json.eventId;
      const reason = expectReason(decodeEvent(encode(json)));
      expect(reason).toMatch(/^invalid envelope: /);
      expect(reason).toMatch(/eventId/);
    });

    it('an aggregateId that is not a UUID', () => {
      const json = wire();
      json.aggregateId = 'org-42';
      const reason = expectReason(decodeEvent(encode(json)));
      expect(reason).toMatch(/^invalid envelope: aggregateId: /);
      expect(reason).not.toMatch(/eventId/);
    });

    it('a schemaVersion the contract does not know', () => {
      const json = wire();
      json.schemaVersion = 3;
      expect(expectReason(decodeEvent(encode(json)))).toBe('unsupported schemaVersion 3 of MemberAdmitted');
    });

    it('a payload that is not an object', () => {
      const json = wire();
      json.payload = 'admitted';
      expect(expectReason(decodeEvent(encode(json)))).toMatch(/^invalid envelope: payload: /);
    });

    it('a bad contact email, named by its path contact.email', () => {
      const json = wire();
      json.payload.contact.email = 'ruta.petrauskiene(at)tiksli-mechanika.lt';
      const reason = expectReason(decodeEvent(encode(json)));
      expect(reason).toMatch(/^invalid MemberAdmitted payload: /);
      expect(reason).toMatch(/contact\.email: /);
      expect(reason).not.toMatch(/contact\.name|focusAreas|sectorCodes/);
    });

    // Membership stored and published a consent of [] (it passed ValidateNested as a list of
    // consents), and the directory failed on it in the database, five times, instead of refusing it
    // here (found by the input properties, test/hardening/input-properties.int-spec.ts).
    it.each(['contact', 'consent'])('a MemberProfileUpdated whose changed %s is an array, not an object', (field) => {
      const event = createEvent({
        type: 'MemberProfileUpdated',
        aggregateId: memberId,
        payload: { memberId, version: 2, changedFields: [field], changes: { [field]: [] } },
        producer: 'membership',
      } as Parameters<typeof createEvent>[0]);
      const reason = expectReason(decodeEvent(JSON.stringify(event)));
      expect(reason).toMatch(/^invalid MemberProfileUpdated payload: /);
      expect(reason).toContain(`changes.${field}`);
    });

    it('a null nested contact', () => {
      const json = wire();
      json.payload.contact = null;
      expect(expectReason(decodeEvent(encode(json)))).toMatch(/^invalid MemberAdmitted payload: contact: /);
    });

    it('a missing consent', () => {
      const json = wire();
      delete json.payload.consent;
      expect(expectReason(decodeEvent(encode(json)))).toMatch(/^invalid MemberAdmitted payload: consent: /);
    });

    it('a `personal` that is not a sealed JWE', () => {
      const json = wire();
      delete json.payload.contact;
      json.payload.personal = '{"contact":{"name":"Rūta"}}';
      expect(expectReason(decodeEvent(encode(json)))).toMatch(/^invalid MemberAdmitted payload: personal: /);
    });

    it('empty focusAreas', () => {
      const json = wire();
      json.payload.focusAreas = [];
      const reason = expectReason(decodeEvent(encode(json)));
      expect(reason).toMatch(/^invalid MemberAdmitted payload: focusAreas: /);
    });

    it('an unknown focus area', () => {
      const json = wire();
      json.payload.focusAreas = ['cooperation', 'space_tourism'];
      expect(expectReason(decodeEvent(encode(json)))).toMatch(
        / focusAreas\.1: must be one of information_communication, /,
      );
    });

    it("a NACE code that is not one ('Z99')", () => {
      const json = wire();
      json.payload.sectorCodes = ['C28.41', 'Z99'];
      const reason = expectReason(decodeEvent(encode(json)));
      expect(reason).toMatch(/^invalid MemberAdmitted payload: sectorCodes\.1: must match /);
    });

    it('names every bad field at once', () => {
      const json = wire();
      json.payload.contact.email = 'nobody';
      json.payload.focusAreas = [];
      json.payload.membershipType = 'honorary';
      const reason = expectReason(decodeEvent(encode(json)));
      expect(reason).toMatch(/contact\.email: /);
      expect(reason).toMatch(/focusAreas: /);
      expect(reason).toMatch(/membershipType: /);
    });
  });

  it('says an unknown event type is unknown, without a reason (skip, do not dead-letter)', () => {
    expect(isKnownEventType(FUTURE_TYPE)).toBe(false);
    const json = wire();
    json.type = FUTURE_TYPE;
    json.payload = { memberId, base: 'Shackleton crater', whatever: true };

    const result = decodeEvent(encode(json));

    expect(result).toEqual({ ok: false, unknownType: FUTURE_TYPE });
    expect('reason' in result).toBe(false);
  });

  it('judges the envelope even of an unknown type', () => {
    const json = wire();
    json.type = FUTURE_TYPE;
    json.eventId = 'not-a-uuid';

    expect(expectReason(decodeEvent(encode(json)))).toMatch(/^invalid envelope: eventId: /);
  });
});
