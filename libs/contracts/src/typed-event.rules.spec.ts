import { createEvent, decodeEvent } from './typed-event';

/** decodeEvent's exact reasons (beside typed-event.spec.ts, which covers what is refused). */
const memberId = '3f6c1a52-8d0e-4b7a-9c21-5e4f7a9b2d11';
const admitted = () =>
  createEvent({
    type: 'MemberAdmitted',
    producer: 'membership',
    aggregateId: memberId,
    payload: {
      memberId,
      membershipType: 'full',
      admittedOn: '2025-03-14',
      legalName: 'UAB Tikslioji Mechanika',
      registrationCode: '304512876',
      country: 'LT',
      region: 'Kauno apskritis',
      organisationType: 'business',
      sizeClass: 'small',
      sectorCodes: ['C28.41'],
      focusAreas: ['cooperation'],
      contact: { name: 'Rūta', email: 'ruta@tiksli.lt', language: 'lt' },
      consent: { publicListing: true, announcements: false },
    },
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases break arbitrary paths
const broken = (change: (payload: any) => void): string => {
  const event = JSON.parse(JSON.stringify(admitted()));
  change(event.payload);
  const result = decodeEvent(JSON.stringify(event));
  if (result.ok || !('reason' in result)) throw new Error(`expected a reason, got ${JSON.stringify(result)}`);
  return result.reason;
};

describe('decodeEvent, exactly', () => {
  it('says a JSON null is no object', () => {
    expect(decodeEvent('null')).toEqual({ ok: false, reason: 'envelope is not a JSON object' });
  });

  it('words the reasons field by field, joined with "; ", in the order of the schema', () => {
    expect(
      broken((p) => {
        p.contact.email = 'x';
        p.sizeClass = 'huge';
      }),
    ).toBe(
      'invalid MemberAdmitted payload: sizeClass: must be one of micro, small, medium, large; ' +
        'contact.email: must be an email address',
    );
  });

  it.each([
    ['a missing field', (p: Record<string, unknown>) => delete p.region, 'region: is required'],
    ['an empty one', (p: Record<string, unknown>) => (p.region = ''), 'region: must not be empty'],
    [
      'a long one',
      (p: Record<string, unknown>) => (p.region = 'x'.repeat(101)),
      'region: must be at most 100 characters long',
    ],
    ['a number for a text', (p: Record<string, unknown>) => (p.legalName = 42), 'legalName: must be a string'],
    ['an empty list', (p: Record<string, unknown>) => (p.focusAreas = []), 'focusAreas: must hold at least 1 item'],
    [
      'a list item',
      (p: Record<string, unknown>) => (p.sectorCodes = ['C28', 'x']),
      'sectorCodes.1: must match ^[A-U](\\d{2}(\\.\\d{1,2})?)?$',
    ],
    [
      'a day with a time',
      (p: Record<string, unknown>) => (p.admittedOn = '2025-03-14T00:00:00Z'),
      'admittedOn: must be a calendar day (YYYY-MM-DD)',
    ],
    [
      'an impossible day',
      (p: Record<string, unknown>) => (p.admittedOn = '2025-02-30'),
      'admittedOn: must be a calendar day (YYYY-MM-DD)',
    ],
    [
      'a country',
      (p: Record<string, unknown>) => (p.country = 'XX'),
      'country: must be an ISO 3166-1 alpha-2 country code',
    ],
    [
      'a URL without protocol',
      (p: Record<string, unknown>) => (p.website = 'tiksli.lt'),
      'website: must be a URL with its protocol (https://…)',
    ],
    ['a UUID', (p: Record<string, unknown>) => (p.applicationId = 'app-1'), 'applicationId: must be a UUID'],
    ['a nested object that is none', (p: Record<string, unknown>) => (p.consent = []), 'consent: must be an object'],
    [
      'a nested boolean',
      (p: { consent: Record<string, unknown> }) => (p.consent.announcements = 'yes'),
      'consent.announcements: must be a boolean',
    ],
    ['a null where null is no value', (p: Record<string, unknown>) => (p.contact = null), 'contact: must be an object'],
  ])('%s', (_, change, reason) => {
    expect(broken(change)).toBe(`invalid MemberAdmitted payload: ${reason}`);
  });

  it('wants a time, not a day, where an instant is asked', () => {
    const event = createEvent({
      type: 'MemberSuspended',
      producer: 'membership',
      aggregateId: memberId,
      payload: { memberId, reason: 'Nesumokėtas mokestis.', suspendedAt: '2026-03-01' },
    });
    expect(decodeEvent(JSON.stringify(event))).toEqual({
      ok: false,
      reason: 'invalid MemberSuspended payload: suspendedAt: must be an ISO 8601 date and time',
    });
    const timed = { ...event, payload: { ...event.payload, suspendedAt: '2026-03-01T09:00:00.000Z' } };
    expect(decodeEvent(JSON.stringify(timed)).ok).toBe(true);
  });

  it('takes null and absence alike where a field may be empty', () => {
    const event = admitted();
    expect(decodeEvent(JSON.stringify({ ...event, payload: { ...event.payload, website: null } })).ok).toBe(true);
    expect(decodeEvent(JSON.stringify({ ...event, payload: { ...event.payload, website: undefined } })).ok).toBe(true);
  });

  it('names an envelope field without the payload, and an integer below its minimum', () => {
    const event = { ...admitted(), schemaVersion: 0, eventId: 'e-1' };
    expect(decodeEvent(JSON.stringify(event))).toEqual({
      ok: false,
      reason: 'invalid envelope: eventId: must be a UUID; schemaVersion: must be 1 or more',
    });
  });

  it('judges a payload that is no object as the envelope, not as the payload', () => {
    expect(decodeEvent(JSON.stringify({ ...admitted(), payload: [] }))).toEqual({
      ok: false,
      reason: 'invalid envelope: payload: must be an object',
    });
  });
});
