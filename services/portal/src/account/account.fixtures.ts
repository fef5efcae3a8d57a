import { AccountFields, encodeBase, fromRecord, MeRecord } from './account-form';

/** A member's record as GET /me answers it, for the account specs. */
export const record: MeRecord = {
  id: '0b0c7b52-4d8a-4a53-9a55-2f6c1d5e7a11',
  legalName: 'Tiksli Mechanika UAB',
  registrationCode: '304118754',
  country: 'LT',
  region: 'Kauno apskritis',
  organisationType: 'business',
  sizeClass: 'small',
  sectorCodes: ['C25.62', 'M71.1'],
  focusAreas: ['innovation', 'cooperation'],
  website: 'https://mechanika.example.lt',
  description: 'CNC machining.\r\nSmall series.',
  statement: null,
  logoUrl: null,
  contact: { name: 'Ona Onaitė', email: 'ona@example.lt', phone: '+370 600 00000', language: 'lt' },
  consent: { publicListing: true, announcements: true, publicContact: true },
  visibility: {
    contactName: 'public',
    contactEmail: 'members',
    contactPhone: 'public',
    website: 'public',
    description: 'public',
    statement: 'public',
    logo: 'public',
  },
  shownInDirectory: {
    contactName: 'public',
    contactEmail: 'members',
    contactPhone: 'public',
    website: 'public',
    description: 'public',
    statement: 'public',
    logo: 'public',
  },
  membershipType: 'full',
  status: 'active',
  statusReason: null,
  admittedOn: '2026-03-02',
  version: 4,
};

/** The profile form as a browser posts it for the record unchanged (urlencoded, extended: false). */
export function postedProfile(values = fromRecord(record)): Record<string, unknown> {
  const body: Record<string, unknown> = { _csrf: 'x', form: 'profile', version: '4', base: encodeBase(values) };
  for (const field of AccountFields) {
    if (field === 'consent.announcements') continue;
    const value = values[field];
    if (typeof value === 'boolean') {
      if (value) body[field] = 'true';
    } else body[field] = value;
  }
  return body;
}
