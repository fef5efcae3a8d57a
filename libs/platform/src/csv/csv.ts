import { stringify } from 'csv-stringify/sync';

export interface Table {
  columns: string[];
  rows: (string | number | null)[][];
}

/** What a spreadsheet reads as the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a spreadsheet shows as text, never evaluates: a cell that begins like a formula (`=`, `+`,
 * `-`, `@`, a tab, a carriage return) gets a leading single quote, as OWASP advises. Numbers stay
 * numbers (a negative count is not text someone typed).
 */
export function neutraliseCell(value: string | number | null): string | number | null {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Every CSV the project writes: a UTF-8 byte order mark (Lithuanian letters survive Excel), a
 * header row, CRLF line ends, quoting where needed, and no cell a spreadsheet would evaluate
 * (header names included: they can come from data too).
 */
export function toCsv(table: Table): string {
  return stringify(
    table.rows.map((row) => row.map(neutraliseCell)),
    {
      header: true,
      columns: table.columns.map((column) => String(neutraliseCell(column))),
      bom: true,
      record_delimiter: 'windows',
    },
  );
}
