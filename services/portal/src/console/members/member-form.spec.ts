import {
  changedFields,
  conflictingFields,
  formFieldOf,
  formValuesFrom,
  formValuesOf,
  MemberProfile,
  originalValuesFrom,
  patchBody,
  resolveConflicts,
} from './member-form';
import { allowedSteps, markedPersonalText, memberListFilters, REASON_REQUIRED } from './member-steps';

const member: MemberProfile = {
  legalName: 'Pažangios Inovacijos UAB',
  region: 'Kauno apskritis',
  organisationType: 'business',
  sizeClass: 'small',
  sectorCodes: ['M70.2', 'C26'],
  focusAreas: ['innovation_technologies', 'cooperation'] as string[],
  website: 'https://example.lt',
  logoUrl: null,
  description: 'Line one\nline two',
  statement: null,
  contact: { name: 'Rūta', email: 'ruta@example.lt', phone: null, language: 'lt' },
  consent: { publicListing: true, announcements: false },
  visibility: { website: 'members' },
  version: 3,
};

describe('the coordinator’s member form', () => {
  const original = formValuesOf(member);

  it('reads a member into texts and a posted form back into the same texts', () => {
    expect(original).toMatchObject({
      sectorCodes: 'M70.2 C26',
      focusAreas: 'cooperation,innovation_technologies',
      logoUrl: '',
      'consent.publicContact': 'false',
      'visibility.website': 'members',
      'visibility.logo': 'public',
    });
    const posted: Record<string, unknown> = { ...original, focusAreas: ['innovation_technologies', 'cooperation'] };
    delete posted['consent.announcements'];
    posted['consent.publicListing'] = 'true';
    posted.description = 'Line one\r\nline two  ';
    expect(formValuesFrom(posted)).toEqual(original);
    expect(changedFields(original, formValuesFrom(posted))).toEqual([]);
  });

  it('sends only what changed: optional texts emptied as null, contact and consent whole, visibility by field', () => {
    const typed = {
      ...original,
      focusAreas: ['cooperation', 'innovation_technologies'],
      website: '',
      'contact.phone': '+370 600 00000',
      'consent.announcements': 'true',
      'visibility.logo': 'hidden',
      sectorCodes: 'C26, M70.2  J62',
    };
    const values = formValuesFrom(typed);
    const changed = changedFields(original, values);
    expect(changed).toEqual(['sectorCodes', 'website', 'contact.phone', 'consent.announcements', 'visibility.logo']);
    expect(patchBody(values, changed)).toEqual({
      sectorCodes: ['C26', 'M70.2', 'J62'],
      website: null,
      contact: { name: 'Rūta', email: 'ruta@example.lt', phone: '+370 600 00000', language: 'lt' },
      consent: { publicListing: true, announcements: true, publicContact: false },
      visibility: { logo: 'hidden' },
    });
  });

  it('after a 412, only fields both changed differently are conflicts; each needs a choice', () => {
    const typed = { ...original, legalName: 'Mine UAB', region: 'Vilniaus apskritis', statement: 'Same' };
    const newer = {
      ...original,
      legalName: 'Theirs UAB',
      region: 'Vilniaus apskritis',
      description: 'Theirs',
      statement: 'Same',
    };
    expect(conflictingFields(original, typed, newer)).toEqual(['legalName']);
    expect(resolveConflicts(typed, newer, ['legalName'], {}).undecided).toEqual(['legalName']);
    expect(resolveConflicts(typed, newer, ['legalName'], { 'resolve.legalName': 'theirs' }).values.legalName).toBe(
      'Theirs UAB',
    );
    expect(resolveConflicts(typed, newer, ['legalName'], { 'resolve.legalName': 'mine' }).values.legalName).toBe(
      'Mine UAB',
    );
  });

  it('takes back only an _original it made', () => {
    expect(originalValuesFrom(JSON.stringify(original))).toEqual(original);
    expect(originalValuesFrom('{"legalName":"x"}')).toBeNull();
    expect(originalValuesFrom('not json')).toBeNull();
    expect(originalValuesFrom(undefined)).toBeNull();
  });

  it('maps the API’s field names to the form’s', () => {
    expect(formFieldOf('contact.email')).toBe('contact.email');
    expect(formFieldOf('sectorCodes.2')).toBe('sectorCodes');
    expect(formFieldOf('contact')).toBe('contact.name');
    expect(formFieldOf('nothing')).toBeNull();
  });
});

describe('member steps and list filters', () => {
  it('allow what membership’s transitions allow; suspending and ending need a reason', () => {
    expect(allowedSteps('active')).toEqual(['suspend', 'end']);
    expect(allowedSteps('suspended')).toEqual(['reinstate', 'end']);
    // Ended: its personal data may be erased (GDPR Art. 17), once.
    expect(allowedSteps('ended')).toEqual(['erase']);
    expect(allowedSteps('ended', '2027-01-15T10:00:00.000Z')).toEqual([]);
    expect(REASON_REQUIRED).toEqual({ suspend: true, reinstate: false, end: true, erase: true });
  });

  it('takes the free text the erase step marks personal from the form: known fields only, one or several', () => {
    expect(markedPersonalText(undefined)).toEqual([]);
    expect(markedPersonalText('statement')).toEqual(['statement']);
    expect(markedPersonalText(['statement', 'description', 'legalName'])).toEqual(['description', 'statement']);
  });

  it('keep a known status and a one-line search', () => {
    expect(memberListFilters({ status: 'suspended', q: '  Pažangios\u0007 ' })).toEqual({
      status: 'suspended',
      q: 'Pažangios',
    });
    expect(memberListFilters({ status: 'nope', q: ['a', 'b'] })).toEqual({ q: 'a' });
    expect(memberListFilters({ q: 'x'.repeat(300) }).q).toHaveLength(200);
  });
});
