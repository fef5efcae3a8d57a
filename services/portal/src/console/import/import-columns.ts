import { IMPORT_COLUMNS, OPTIONAL_IMPORT_COLUMNS } from '@valley/contracts';

/** The columns of membership's import, from the contracts (the upload page lists them). */
export { IMPORT_COLUMNS, OPTIONAL_IMPORT_COLUMNS };

/** Membership's answer to the import (201). */
export interface ImportReport {
  rows: number;
  imported: { line: number; memberId: string; legalName: string }[];
  refused: { line: number; reasons: string[] }[];
}
