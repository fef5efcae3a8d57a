/** The organisation of the contracts' examples (the schemas' `examples`, the AsyncAPI document's). */
export const EXAMPLE_ORGANISATION = {
  legalName: 'UAB Tikslioji Mechanika',
  registrationCode: '304512876',
  country: 'LT',
  region: 'Kauno apskritis',
  organisationType: 'business',
  sizeClass: 'small',
  sectorCodes: ['C28.41', 'C25.62'],
  focusAreas: ['innovation_technologies', 'cooperation'],
  website: 'https://tiksli-mechanika.lt',
  description: 'CNC frezavimas ir tekinimas, metrologija.',
  contact: { name: 'Rūta Petrauskienė', email: 'ruta@tiksli-mechanika.lt', phone: '+37061234567', language: 'lt' },
  consent: { publicListing: true, announcements: true, publicContact: false },
} as const;
