import { fieldErrors, formFieldOf, formValues, refusalKey, sectorCode, toApplicationBody } from './application-form';

const typed = {
  legalName: '  Šiaulių Metalas UAB ',
  registrationCode: '302 512 358',
  country: 'lt',
  region: 'Šiaulių apskritis',
  organisationType: 'business',
  sizeClass: 'small',
  sectorCodes: ['c25.62', 'C25.62 Machining', '', 'M72.1'],
  focusAreas: ['cooperation', 'innovation_technologies'],
  website: 'www.metalas.example',
  description: '',
  motivation: 'To find partners.',
  'contact.name': 'Rūta Petrauskienė',
  'contact.email': 'ruta@metalas.example',
  'contact.phone': '',
  'contact.language': 'lt',
  'consent.publicListing': 'true',
  _csrf: 'token',
  extra: 'ignored',
};

describe('the application form as the API body', () => {
  it('maps every field to POST /applications: trimmed, optional empties left out, checkboxes as booleans', () => {
    expect(toApplicationBody(formValues(typed))).toEqual({
      legalName: 'Šiaulių Metalas UAB',
      registrationCode: '302512358',
      country: 'LT',
      region: 'Šiaulių apskritis',
      organisationType: 'business',
      sizeClass: 'small',
      sectorCodes: ['C25.62', 'M72.1'],
      focusAreas: ['cooperation', 'innovation_technologies'],
      website: 'https://www.metalas.example',
      motivation: 'To find partners.',
      contact: { name: 'Rūta Petrauskienė', email: 'ruta@metalas.example', language: 'lt' },
      consent: { publicListing: true, announcements: false },
    });
  });

  it('sends required fields empty when they were left empty, so that the API names them', () => {
    expect(toApplicationBody({})).toEqual({
      legalName: '',
      registrationCode: '',
      country: '',
      region: '',
      sectorCodes: [],
      focusAreas: [],
      contact: { name: '', email: '' },
      consent: { publicListing: false, announcements: false },
    });
  });

  it('keeps only the form’s own fields, as strings or lists of strings', () => {
    const values = formValues({ ...typed, legalName: ['a', 'b'], 'contact.name': 7, sectorCodes: ['C', 3] });
    expect(values).not.toHaveProperty('_csrf');
    expect(values).not.toHaveProperty('extra');
    expect(values['contact.name']).toBeUndefined();
    expect(values.legalName).toEqual(['a', 'b']);
    expect(values.sectorCodes).toEqual(['C']);
    expect(formValues(null)).toEqual({});
  });

  it.each([
    ['C25.62', 'C25.62'],
    ['c25.62 Machining', 'C25.62'],
    ['C', 'C'],
    ['M72', 'M72'],
    ['  m72.1  ', 'M72.1'],
    ['machining', 'machining'],
  ])('reads the NACE code at the start of %p', (input, code) => {
    expect(sectorCode(input)).toBe(code);
  });
});

describe("the API's refusals as the reader's messages", () => {
  it('puts each bad field of a 400 beside its form field, in the form’s order, saying what to do', () => {
    const errors = fieldErrors(
      {
        statusCode: 400,
        fields: [
          { field: 'contact.email', messages: ['contact.email must be an email'] },
          { field: 'sectorCodes.1', messages: ['sectorCodes must hold NACE Rev. 2 codes that exist'] },
          { field: 'sectorCodes.2', messages: ['sectorCodes must hold NACE Rev. 2 codes that exist'] },
          { field: 'legalName', messages: ['legalName should not be empty'] },
        ],
      },
      { legalName: '', sectorCodes: ['C25.62', 'X99'], 'contact.email': 'ruta@' },
    );
    expect(errors).toEqual([
      { field: 'legalName', key: 'apply.errors.legalName.required' },
      { field: 'sectorCodes', key: 'apply.errors.sectorCodes.invalid' },
      { field: 'contact.email', key: 'apply.errors.contact.email.invalid' },
    ]);
  });

  it('says whether a Lithuanian company code has the wrong length or the wrong check digit', () => {
    const refused = { fields: [{ field: 'registrationCode', messages: ['…'] }] };
    const key = (registrationCode: string, country = 'LT') =>
      fieldErrors(refused, { registrationCode, country })[0].key;
    expect(key('30251235')).toBe('apply.errors.registrationCode.ltLength');
    expect(key('302512357')).toBe('apply.errors.registrationCode.ltCheckDigit');
    expect(key('')).toBe('apply.errors.registrationCode.required');
    expect(key('HRB 1234', 'DE')).toBe('apply.errors.registrationCode.invalid');
  });

  it('falls back to the general message for a field the form does not have', () => {
    expect(fieldErrors({ fields: [{ field: 'statement', messages: ['…'] }] }, {})).toEqual([
      { field: 'legalName', key: 'apply.errors.general' },
    ]);
    expect(formFieldOf('contact')).toBe('contact.name');
    expect(formFieldOf('focusAreas.0')).toBe('focusAreas');
  });

  it('explains a duplicate (409) and a body too large (413) in words', () => {
    expect(refusalKey(409, { code: 'ALREADY_APPLIED' })).toBe('apply.errors.alreadyApplied');
    expect(refusalKey(409, { code: 'ALREADY_MEMBER' })).toBe('apply.errors.alreadyMember');
    expect(refusalKey(413, {})).toBe('apply.errors.tooLarge');
    expect(refusalKey(422, {})).toBe('apply.errors.general');
  });
});
