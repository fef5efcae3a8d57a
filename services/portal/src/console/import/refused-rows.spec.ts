import { parse } from 'csv-parse/sync';
import { multipartOfFile, parseMultipart } from './multipart-form';
import { fieldOf, readUploadedCsv, refusedRowsCsv } from './refused-rows';
import { RefusedRowsSeal, refusedFileName } from './refused-rows-seal';

const FILE = [
  '\uFEFFlegalName,registrationCode,description',
  'Gera UAB,302512358,',
  '"Kabutės ""ir"", kableliai UAB",bad,"Dvi',
  'eilutės"',
  '',
  '  Tarpai UAB  ,123 , x ',
  'Paskutinė UAB,300000000,be eilutės pabaigos',
].join('\r\n');

/** The line numbers membership's import gives: the same csv-parse, its options, with columns. */
function membershipLines(csv: string): number[] {
  const rows = parse(csv, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true }) as {
    info: { lines: number };
  }[];
  return rows.map((r) => r.info.lines);
}

describe('the refused rows of an import, as a CSV to correct and upload again', () => {
  it('numbers the records as membership does, quoted line breaks and empty lines included', () => {
    const file = readUploadedCsv(FILE)!;
    expect(file.records.map((r) => r.line)).toEqual(membershipLines(FILE));
    expect(fieldOf(file, file.records[1], 'legalName')).toBe('Kabutės "ir", kableliai UAB');
    expect(fieldOf(file, file.records[2], 'legalName')).toBe('Tarpai UAB');
    expect(fieldOf(file, file.records[2], 'website')).toBe('');
  });

  it("keeps the refused rows' original text and the header, with a BOM and CRLF", () => {
    const file = readUploadedCsv(Buffer.from(FILE, 'utf8'))!;
    const [, quoted, spaced] = file.records;
    const csv = refusedRowsCsv(file, [spaced.line, quoted.line, 999]);
    expect(csv).toBe(
      '\uFEFFlegalName,registrationCode,description\r\n' +
        '"Kabutės ""ir"", kableliai UAB",bad,"Dvi\r\neilutės"\r\n' +
        '  Tarpai UAB  ,123 , x \r\n',
    );
    // Uploaded again, it reads as the same rows (membership would see the same values).
    const again = readUploadedCsv(csv)!;
    expect(again.records.map((r) => r.values)).toEqual([quoted.values, spaced.values]);
    expect(again.header.values).toEqual(file.header.values);
  });

  it('reads no CSV from what csv-parse cannot read, or an empty file', () => {
    expect(readUploadedCsv('a,b\r\n"open quote,1\r\n')).toBeNull();
    expect(readUploadedCsv('')).toBeNull();
  });
});

describe('the sealed download', () => {
  const seal = new RefusedRowsSeal('a-test-secret-of-at-least-32-characters!');

  it('opens for the same person only, until it expires, and not when altered', async () => {
    const now = Date.now();
    const value = await seal.seal({ fileName: 'a-refused.csv', csv: 'x'.repeat(100_000) }, 'coordinator@test', now);
    // Compressed: 100 kB of text travel in far less.
    expect(value.length).toBeLessThan(2_000);
    expect(await seal.open(value, 'coordinator@test', now)).toEqual({
      fileName: 'a-refused.csv',
      csv: 'x'.repeat(100_000),
    });
    expect(await seal.open(value, 'someone@else', now)).toBeNull();
    expect(await seal.open(value, 'coordinator@test', now + 3 * 3600 * 1000)).toBeNull();
    const altered = value.slice(0, -3) + (value.endsWith('A') ? 'BBB' : 'AAA');
    expect(await seal.open(altered, 'coordinator@test', now)).toBeNull();
    expect(
      await new RefusedRowsSeal('another-secret-of-at-least-32-characters').open(value, 'coordinator@test', now),
    ).toBeNull();
    expect(await seal.open(undefined, 'coordinator@test')).toBeNull();
  });

  it('names the file after the upload, in safe characters', () => {
    expect(refusedFileName('nariai 2026.csv')).toBe('nariai-2026-refused.csv');
    expect(refusedFileName('Ąžuolas".csv')).toBe('Azuolas-refused.csv');
    expect(refusedFileName('../../')).toBe('import-refused.csv');
  });
});

describe('multipart forms', () => {
  it('reads the fields and the file, and writes a file for membership', async () => {
    const file = { field: 'file', name: 'nariai.csv', type: 'text/csv', data: Buffer.from(FILE, 'utf8') };
    const encoded = await multipartOfFile('file', file);
    expect(encoded.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const read = await parseMultipart(encoded.data, encoded.contentType);
    expect(read.fields).toEqual({});
    expect(read.files).toHaveLength(1);
    expect(read.files[0]).toMatchObject({ field: 'file', name: 'nariai.csv' });
    expect(read.files[0].data.equals(file.data)).toBe(true);
    await expect(parseMultipart(Buffer.from('nonsense'), 'multipart/form-data; boundary=x')).rejects.toThrow();
  });
});
