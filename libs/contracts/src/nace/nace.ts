import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * The NACE Rev. 2 classification (Eurostat; Regulation (EC) No 1893/2006): 21 sections,
 * 88 divisions, 272 groups, 615 classes with their English titles, shipped as data in
 * `nace-rev2.csv` beside this file. Codes are written with their section letter: `C`, `C26`,
 * `C26.1`, `C26.11`.
 */
export const NaceLevels = ['section', 'division', 'group', 'class'] as const;
export type NaceLevel = (typeof NaceLevels)[number];

export interface NaceEntry {
  code: string;
  level: NaceLevel;
  /** The code one level up; null for a section. */
  parent: string | null;
  title: string;
}

let entries: Map<string, NaceEntry> | null = null;

function load(): Map<string, NaceEntry> {
  if (entries) return entries;
  const rows: { code: string; level: NaceLevel; parent: string; title: string }[] = parse(
    readFileSync(join(__dirname, 'nace-rev2.csv')),
    { columns: true, skip_empty_lines: true },
  );
  entries = new Map(rows.map((row) => [row.code, { ...row, parent: row.parent || null }]));
  return entries;
}

/** The entry of a NACE Rev. 2 code (`C26.11`), or undefined when the code does not exist. */
export function naceEntry(code: string): NaceEntry | undefined {
  return typeof code === 'string' ? load().get(code) : undefined;
}

export function isNaceCode(code: unknown): code is string {
  return typeof code === 'string' && load().has(code);
}

/** Every entry, in the classification's order. */
export function naceEntries(): NaceEntry[] {
  return [...load().values()];
}

/** class-validator: the value (or, with `each`, every element) is an existing NACE Rev. 2 code. */
export function IsNaceCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNaceCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property }) => `${property} must hold NACE Rev. 2 codes that exist, such as C26, C26.1 or C26.11`,
        ...options,
      },
      validator: { validate: (value: unknown) => isNaceCode(value) },
    });
}
