import { randomLithuanianCompanyCode } from '@valley/contracts';

/** A realistic application body (a valid Lithuanian company code each time); override any field. */
export function applicationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    legalName: 'Marijampolės Laisvosios Ekonominės Zonos Valdymo Bendrovė UAB',
    registrationCode: randomLithuanianCompanyCode(),
    country: 'LT',
    region: 'Marijampolės apskritis',
    organisationType: 'business',
    sizeClass: 'small',
    sectorCodes: ['N82.9', 'L68.2'],
    focusAreas: ['international_development', 'cooperation'],
    website: 'https://www.example.lt',
    description: 'Manages the Marijampolė free economic zone: biotechnology and food production investments.',
    motivation: 'To meet manufacturers that could invest in the zone.',
    contact: { name: 'Jonas Jonaitis', email: 'jonas@mlez.example', language: 'lt' },
    consent: { publicListing: true, announcements: true },
    ...overrides,
  };
}
