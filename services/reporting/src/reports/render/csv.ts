import { stringify } from 'csv-stringify/sync';

export interface Table {
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * A CSV a spreadsheet opens cleanly: a UTF-8 byte order mark (Lithuanian letters survive
 * Excel), a header row, one row per data point, CRLF line ends, quoting where needed.
 */
export function toCsv(table: Table): string {
  return stringify(table.rows, { header: true, columns: table.columns, bom: true, record_delimiter: 'windows' });
}
