/**
 * The CSV format of membership's `POST /members/import`: its columns, in order, and those a row
 * may leave empty. Membership parses by it; the portal's import page lists it.
 */
export const IMPORT_COLUMNS = [
  'legalName',
  'registrationCode',
  'country',
  'region',
  'organisationType',
  'sizeClass',
  'sectorCodes',
  'focusAreas',
  'website',
  'description',
  'contactName',
  'contactEmail',
  'contactPhone',
  'contactLanguage',
  'publicListing',
  'announcements',
  'membershipType',
  'admittedOn',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const OPTIONAL_IMPORT_COLUMNS: readonly ImportColumn[] = [
  'website',
  'description',
  'contactPhone',
  'membershipType',
  'admittedOn',
];
