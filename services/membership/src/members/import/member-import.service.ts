import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IMPORT_COLUMNS, MembershipType, MembershipTypes, OPTIONAL_IMPORT_COLUMNS } from '@valley/contracts';
import { OutboxRelay } from '@valley/messaging';
import { toFieldErrors } from '@valley/platform';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { Application, SubmitApplicationDto } from '../../applications';
import { clusterDate } from '../../common/cluster-calendar';
import { MembershipErrorCode, MembershipException } from '../../errors/membership.exception';
import { admitMembers, Newcomer } from '../admission';
import { ImportedRow } from '../dto/imported-row.response';
import { ImportReport } from '../dto/import-report.response';
import { RefusedRow } from '../dto/refused-row.response';
import { Member } from '../member.entity';

export { IMPORT_COLUMNS };
/** Rows per transaction. */
const CHUNK_ROWS = 250;
const REQUIRED_COLUMNS = IMPORT_COLUMNS.filter((c) => !OPTIONAL_IMPORT_COLUMNS.includes(c));

interface ParsedRow {
  line: number;
  dto: SubmitApplicationDto;
  membershipType: MembershipType;
  admittedOn: string;
}

/**
 * Bulk import of members from a spreadsheet's CSV. Every row is validated like an application
 * (same DTO, same rules) and imported whole, with its history and MemberAdmitted event, or refused with
 * its line and reasons; one bad row never stops the others. Valid rows go in 250 per transaction.
 */
@Injectable()
export class MemberImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  async importCsv(
    csv: Buffer | string,
    actor: string,
    onProgress: (done: number, total: number) => void = () => undefined,
  ): Promise<ImportReport> {
    const records = parseCsv(csv);
    const report: ImportReport = { rows: records.length, imported: [], refused: [] };
    const seen = new Map<string, number>();
    let done = 0;
    let pending: ParsedRow[] = [];
    const flush = async () => {
      for (const outcome of await this.importChunk(pending, actor)) {
        if ('reasons' in outcome) report.refused.push(outcome);
        else report.imported.push(outcome);
      }
      done += pending.length;
      pending = [];
      onProgress(done, records.length);
    };
    for (const record of records) {
      const row = await toRow(record.line, record.values);
      const key = 'reasons' in row ? null : `${row.dto.country}:${row.dto.registrationCode}`;
      const earlier = key === null ? undefined : seen.get(key);
      if ('reasons' in row || earlier !== undefined) {
        report.refused.push(
          'reasons' in row ? row : { line: row.line, reasons: [`registrationCode repeats line ${earlier}`] },
        );
        done++;
        continue;
      }
      seen.set(key!, row.line);
      pending.push(row);
      if (pending.length === CHUNK_ROWS) await flush();
    }
    if (pending.length > 0) await flush();
    onProgress(records.length, records.length);
    report.imported.sort((x, y) => x.line - y.line);
    report.refused.sort((x, y) => x.line - y.line);
    this.relay?.wake();
    return report;
  }

  /**
   * Imports valid rows in one transaction: who is already a member or has an open application is
   * refused, the others go in with multi-row inserts. Should the transaction fail on a unique key
   * (a submission or another import raced it), each row is tried again on its own.
   */
  private async importChunk(rows: ParsedRow[], actor: string): Promise<(ImportedRow | RefusedRow)[]> {
    if (rows.length === 0) return [];
    try {
      return await this.dataSource.transaction(async (manager) => {
        const pairs = rows.map((r) => [r.dto.country, r.dto.registrationCode]);
        const taken = async (sql: string): Promise<Set<string>> => {
          const found: { country: string; registration_code: string }[] = await manager.query(sql, [
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
          ]);
          return new Set(found.map((f) => `${f.country}:${f.registration_code}`));
        };
        const members = await taken(
          `SELECT country, registration_code FROM membership.members
           WHERE (country, registration_code) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        );
        const open = await taken(
          `SELECT country, registration_code FROM membership.applications
           WHERE status IN ('submitted', 'under_review')
             AND (country, registration_code) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        );
        const outcomes: (ImportedRow | RefusedRow)[] = [];
        const created: Newcomer[] = [];
        const lines = new Map<string, number>();
        for (const row of rows) {
          const key = `${row.dto.country}:${row.dto.registrationCode}`;
          const who = `${row.dto.registrationCode} (${row.dto.country})`;
          if (members.has(key)) outcomes.push({ line: row.line, reasons: [`${who} is already a member`] });
          else if (open.has(key)) outcomes.push({ line: row.line, reasons: [`${who} has an open application`] });
          else {
            const newcomer = toNewcomer(row);
            created.push(newcomer);
            lines.set(newcomer.id, row.line);
            outcomes.push({ line: row.line, memberId: newcomer.id, legalName: newcomer.legalName });
          }
        }
        await admitMembers(
          manager,
          created,
          imported(actor, new Date(), (member) => lines.get(member.id)!),
        );
        return outcomes;
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code !== '23505') throw error;
      const outcomes: (ImportedRow | RefusedRow)[] = [];
      for (const row of rows) outcomes.push(await this.importRow(row, actor));
      return outcomes;
    }
  }

  private async importRow(row: ParsedRow, actor: string): Promise<ImportedRow | RefusedRow> {
    const { dto } = row;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const where = { country: dto.country, registrationCode: dto.registrationCode };
        if (await manager.getRepository(Member).existsBy(where)) {
          return { line: row.line, reasons: [`${dto.registrationCode} (${dto.country}) is already a member`] };
        }
        const open = await manager
          .getRepository(Application)
          .existsBy({ ...where, status: In(['submitted', 'under_review']) });
        if (open) {
          return { line: row.line, reasons: [`${dto.registrationCode} (${dto.country}) has an open application`] };
        }
        const [member] = await admitMembers(
          manager,
          [toNewcomer(row)],
          imported(actor, new Date(), () => row.line),
        );
        return { line: row.line, memberId: member.id, legalName: member.legalName };
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        return { line: row.line, reasons: [`${dto.registrationCode} (${dto.country}) is already a member`] };
      }
      throw error;
    }
  }
}

/** An imported row's step in its member's history: `imported`, with its line in the file. */
function imported(actor: string, at: Date, lineOf: (member: Member) => number) {
  return { action: 'imported' as const, actor, at, reason: (member: Member) => `CSV line ${lineOf(member)}` };
}

function toNewcomer({ dto, membershipType, admittedOn }: ParsedRow): Newcomer {
  return {
    id: randomUUID(),
    applicationId: null,
    membershipType,
    admittedOn,
    legalName: dto.legalName,
    registrationCode: dto.registrationCode,
    country: dto.country,
    region: dto.region,
    organisationType: dto.organisationType,
    sizeClass: dto.sizeClass,
    sectorCodes: dto.sectorCodes,
    focusAreas: dto.focusAreas,
    website: dto.website ?? null,
    description: dto.description ?? null,
    contact: { ...dto.contact },
    consent: { ...dto.consent },
  };
}

function parseCsv(csv: Buffer | string): { line: number; values: Record<string, string> }[] {
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(csv, {
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        const unknown = names.filter((n) => !(IMPORT_COLUMNS as readonly string[]).includes(n));
        const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
        if (unknown.length > 0 || missing.length > 0) {
          throw new MembershipException(
            MembershipErrorCode.IMPORT_FILE_INVALID,
            [
              unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
              missing.length ? `missing columns: ${missing.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('; '),
          );
        }
        return names;
      },
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
    });
  } catch (error) {
    if (error instanceof MembershipException) throw error;
    throw new MembershipException(
      MembershipErrorCode.IMPORT_FILE_INVALID,
      `not a readable CSV file: ${(error as Error).message}`,
    );
  }
  return parsed.map(({ record, info }) => ({ line: info.lines, values: record }));
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[;|]/)
    .map((v) => v.trim())
    .filter(Boolean);

function bool(value: string | undefined): boolean | string | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (['true', 'yes', 'taip', '1'].includes(v)) return true;
  if (['false', 'no', 'ne', '0'].includes(v)) return false;
  return v === '' ? undefined : value;
}

const blankToUndefined = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/**
 * YYYY-MM-DD of a day that exists, in a year Postgres has: Date.parse takes 2020-02-30 (as
 * 1 March) and 0000-01-01, which Postgres refuses as a date (the import answered 500).
 */
function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < '0001-01-01') return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** One CSV row, validated exactly like a submitted application, plus the membership columns. */
async function toRow(line: number, v: Record<string, string>): Promise<ParsedRow | RefusedRow> {
  const body = {
    legalName: v.legalName,
    registrationCode: v.registrationCode,
    country: v.country?.toUpperCase(),
    region: v.region,
    organisationType: v.organisationType,
    sizeClass: v.sizeClass,
    sectorCodes: list(v.sectorCodes),
    focusAreas: list(v.focusAreas),
    website: blankToUndefined(v.website),
    description: blankToUndefined(v.description),
    contact: {
      name: v.contactName,
      email: v.contactEmail,
      phone: blankToUndefined(v.contactPhone),
      language: v.contactLanguage,
    },
    consent: { publicListing: bool(v.publicListing), announcements: bool(v.announcements) },
  };
  const dto = plainToInstance(SubmitApplicationDto, body);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  const reasons = toFieldErrors(errors).flatMap((f) => f.messages);
  const membershipType = (blankToUndefined(v.membershipType) ?? 'full') as MembershipType;
  if (!MembershipTypes.includes(membershipType)) reasons.push('membershipType must be founding or full');
  const admittedOn = blankToUndefined(v.admittedOn) ?? clusterDate();
  if (!isCalendarDay(admittedOn)) {
    reasons.push('admittedOn must be a date, YYYY-MM-DD');
  } else if (admittedOn > clusterDate()) {
    reasons.push('admittedOn must not be in the future');
  }
  return reasons.length > 0 ? { line, reasons } : { line, dto, membershipType, admittedOn };
}
