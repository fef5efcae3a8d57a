import {
  accountFieldErrors,
  accountFieldOf,
  applyChoices,
  changedFields,
  decodeBase,
  encodeBase,
  fromForm,
  fromRecord,
  merge,
  parseConflicts,
  parseVersion,
  scopeOf,
  toPatch,
} from './account-form';
import { postedProfile, record } from './account.fixtures';

describe('the account form', () => {
  const base = fromRecord(record);

  it('reads the record as values: texts without null, lines with \\n, visibility per field', () => {
    expect(base).toMatchObject({
      statement: '',
      description: 'CNC machining.\nSmall series.',
      'contact.phone': '+370 600 00000',
      'consent.publicContact': true,
      'visibility.contactEmail': 'members',
      'visibility.logo': 'public',
    });
    expect(
      fromRecord({ ...record, visibility: {}, consent: { publicListing: false, announcements: false } }),
    ).toMatchObject({
      'visibility.contactPhone': 'public',
      'consent.publicContact': false,
    });
  });

  it('finds no change in the unchanged form, even with CRLF and a reordered list', () => {
    const body = postedProfile();
    body.description = 'CNC machining.\r\nSmall series.\r\n';
    body.sectorCodes = ['M71.1', 'c25.62 Kalimas', ''];
    expect(changedFields(base, fromForm(body, 'profile', base))).toEqual([]);
  });

  it('takes an unticked checkbox as false and a field outside the scope as it was', () => {
    const body = postedProfile();
    delete body['consent.publicContact'];
    body['consent.announcements'] = undefined;
    const values = fromForm(body, 'profile', base);
    expect(values['consent.publicContact']).toBe(false);
    expect(values['consent.announcements']).toBe(true);
    expect(changedFields(base, values)).toEqual(['consent.publicContact']);

    const email = fromForm({ form: 'email' }, 'email', base);
    expect(changedFields(base, email)).toEqual(['consent.announcements']);
    expect(email['contact.name']).toBe('Ona Onaitė');
  });

  it('adds https:// to a website typed without it, and trims', () => {
    const values = fromForm({ ...postedProfile(), website: '  example.lt ' }, 'profile', base);
    expect(values.website).toBe('https://example.lt');
  });

  it('patches only what changed: the whole contact or consent, visibility by field, empty optional texts as null', () => {
    const values = fromForm(
      {
        ...postedProfile(),
        description: 'Naujas aprašymas',
        'visibility.contactPhone': 'hidden',
        'contact.phone': '',
        website: '',
      },
      'profile',
      base,
    );
    const changed = changedFields(base, values);
    expect(changed).toEqual(['website', 'description', 'contact.phone', 'visibility.contactPhone']);
    expect(toPatch(values, changed)).toEqual({
      website: null,
      description: 'Naujas aprašymas',
      contact: { name: 'Ona Onaitė', email: 'ona@example.lt', language: 'lt' },
      visibility: { contactPhone: 'hidden' },
    });
    const consent = toPatch({ ...values, 'consent.announcements': false }, ['consent.announcements']);
    expect(consent).toEqual({ consent: { publicListing: true, announcements: false, publicContact: true } });
  });

  it('carries the base through the form and refuses a tampered one', () => {
    expect(decodeBase(encodeBase(base))).toEqual(base);
    expect(decodeBase('not json')).toBeNull();
    expect(decodeBase(Buffer.from(JSON.stringify({ ...base, sectorCodes: 'C25' })).toString('base64url'))).toBeNull();
    expect(decodeBase(Buffer.from('[]').toString('base64url'))).toBeNull();
    expect(decodeBase(undefined)).toBeNull();
    expect([parseVersion('4'), parseVersion('4x'), parseVersion(undefined), parseVersion('')]).toEqual([
      4,
      null,
      null,
      null,
    ]);
    expect([scopeOf('email'), scopeOf('all'), scopeOf('other'), scopeOf(undefined)]).toEqual([
      'email',
      'all',
      'profile',
      'profile',
    ]);
  });
});

describe('a conflict (412): three ways, nothing lost', () => {
  const base = fromRecord(record);
  const mine = { ...base, description: 'Mine', 'visibility.contactPhone': 'hidden', region: 'Vilniaus apskritis' };
  const current = { ...base, description: 'Theirs', website: 'https://new.example.lt', region: 'Vilniaus apskritis' };

  it('asks where both changed a field differently, keeps the rest of both', () => {
    const result = merge(base, mine, current);
    expect(result.conflicts).toEqual([{ field: 'description', mine: 'Mine', theirs: 'Theirs' }]);
    expect(result.yours).toEqual(['visibility.contactPhone']);
    expect(result.theirs).toEqual(['website']);
    expect(result.merged).toMatchObject({
      description: 'Mine',
      website: 'https://new.example.lt',
      'visibility.contactPhone': 'hidden',
      region: 'Vilniaus apskritis',
    });
    // The same change made by both is no conflict and nothing to send.
    expect(changedFields(current, result.merged)).toEqual(['description', 'visibility.contactPhone']);
  });

  it('applies the choices: "theirs" takes the stored value, none chosen is named', () => {
    const { merged } = merge(base, mine, current);
    expect(applyChoices({ 'keep.description': 'theirs' }, ['description'], merged, current)).toEqual({
      values: { ...merged, description: 'Theirs' },
      unchosen: [],
    });
    expect(applyChoices({ 'keep.description': 'mine' }, ['description'], merged, current).values.description).toBe(
      'Mine',
    );
    expect(applyChoices({}, ['description'], merged, current).unchosen).toEqual(['description']);
    expect(parseConflicts('description,nonsense,contact.phone')).toEqual(['description', 'contact.phone']);
  });
});

describe("the API's 400 as messages", () => {
  const values = fromForm({ ...postedProfile(), legalName: '', 'contact.phone': 'abc' }, 'profile', fromRecord(record));

  it('one per field in the form order, asking for empty required fields', () => {
    expect(
      accountFieldErrors(
        {
          fields: [
            { field: 'contact.phone', messages: ['phone must be a phone number'] },
            { field: 'legalName', messages: ['legalName should not be empty'] },
            { field: 'sectorCodes.1', messages: ['bad'] },
          ],
        },
        values,
      ),
    ).toEqual([
      { field: 'legalName', key: 'account.errors.legalName.required' },
      { field: 'sectorCodes', key: 'account.errors.sectorCodes.invalid' },
      { field: 'contact.phone', key: 'account.errors.contact.phone.invalid' },
    ]);
  });

  it('a field without a message of its own gets the general one; an unknown field the form-wide one', () => {
    expect(accountFieldErrors({ fields: [{ field: 'visibility.logo', messages: [] }] }, values)).toEqual([
      { field: 'visibility.logo', key: 'account.errors.field' },
    ]);
    expect(accountFieldErrors({ fields: [{ field: 'registrationCode', messages: [] }] }, values)).toEqual([
      { field: 'legalName', key: 'account.errors.general' },
    ]);
    expect([accountFieldOf('contact'), accountFieldOf('visibility'), accountFieldOf('nope')]).toEqual([
      'contact.name',
      'visibility.contactName',
      null,
    ]);
  });
});
