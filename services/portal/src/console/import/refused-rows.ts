import { parse } from 'csv-parse/sync';

/** One record of an uploaded CSV as the file has it: the line membership names it by, its text, its fields. */
export interface CsvRecord {
  /** The line number membership's import reports for this record (csv-parse's `info.lines`). */
  line: number;
  /** The record's text exactly as uploaded (a quoted field keeps its commas, quotes and line breaks). */
  raw: string;
  values: string[];
}

export interface UploadedCsv {
  header: CsvRecord;
  records: CsvRecord[];
}

/**
 * Reads an uploaded import file with the very csv-parse options membership's import uses (`bom`,
 * `trim`, `skip_empty_lines`), so that the line numbers it reports are this file's, and keeps each
 * record's original text. Null when it is no CSV csv-parse can read (membership then refuses it too).
 */
export function readUploadedCsv(csv: Buffer | string): UploadedCsv | null {
  let parsed: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    parsed = parse(csv, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as typeof parsed;
  } catch {
    return null;
  }
  const records = parsed.map(({ record, raw, info }) => ({
    line: info.lines,
    // The record's text without the line breaks around it (an empty line before it is not its own).
    raw: raw.replace(/^[\r\n]+|[\r\n]+$/g, ''),
    values: record,
  }));
  const [header, ...rest] = records;
  return header ? { header, records: rest } : null;
}

/** A field of a record by its column name in the header (`legalName`), or '' when the file has no such column. */
export function fieldOf(file: UploadedCsv, record: CsvRecord, column: string): string {
  const index = file.header.values.indexOf(column);
  return index < 0 ? '' : (record.values[index] ?? '');
}

/**
 * The refused rows as a file to correct and upload again: a byte order mark (Excel reads UTF-8
 * then), the original header line, and each refused record's original text in file order, CRLF
 * between lines. Lines the file does not have are left out.
 */
export function refusedRowsCsv(file: UploadedCsv, refusedLines: readonly number[]): string {
  const wanted = new Set(refusedLines);
  const rows = file.records.filter((r) => wanted.has(r.line)).map((r) => r.raw);
  return `\uFEFF${[file.header.raw, ...rows].join('\r\n')}\r\n`;
}
