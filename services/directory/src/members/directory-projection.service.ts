import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TypedEvent } from '@valley/contracts';
import { claimUnprocessed } from '@valley/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryEntry } from './directory-entry.entity';
import { applyEvent, EntryState, isListed, MemberStatus } from './entry-state';
import { ReadCache } from './read-cache';
import { foldText, sectorPrefixes } from './search-text';

export const DIRECTORY_CONSUMER = 'directory-projection';

/**
 * Keeps the directory read model in step with membership events, a whole batch at a time:
 * one transaction, three statements whatever the batch size (inbox claim, read of the touched
 * entries with a row lock, one multi-row upsert). Events are folded per member in batch order
 * (Kafka keeps a member's events in order), through the pure `applyEvent`.
 */
@Injectable()
export class DirectoryProjection {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Emptied after every committed change; absent in the rebuild command (no HTTP there). */
    @Optional() private readonly cache?: ReadCache,
  ) {}

  async apply(events: TypedEvent[]): Promise<void> {
    const changes = await this.dataSource.transaction(async (manager) => {
      const fresh = await claimUnprocessed(manager, DIRECTORY_CONSUMER, events);
      if (fresh.length === 0) return 0;
      const table = manager.getRepository(DirectoryEntry).metadata.tablePath;
      const states = await loadStates(manager, table, [...new Set(fresh.map(memberIdOf))]);
      const changed = new Map<string, EntryState>();
      for (const event of fresh) {
        const id = memberIdOf(event);
        const before = states.get(id) ?? null;
        const after = applyEvent(before, event);
        if (after && after !== before) {
          states.set(id, after);
          changed.set(id, after);
        }
      }
      await upsertStates(manager, table, [...changed.values()]);
      return changed.size;
    });
    if (changes > 0) this.cache?.invalidate();
  }
}

function memberIdOf(event: TypedEvent): string {
  return (event.payload as { memberId?: string }).memberId ?? event.aggregateId;
}

interface EntryRow {
  member_id: string;
  status: MemberStatus;
  listing_consent: boolean;
  contact_consent: boolean;
  legal_name: string;
  country: string;
  region: string;
  organisation_type: string;
  size_class: string;
  sector_codes: string[];
  focus_areas: string[];
  website: string | null;
  description: string | null;
  statement: string | null;
  logo_url: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  membership_type: string;
  member_since: string;
  last_event_at: Date;
}

async function loadStates(manager: EntityManager, table: string, ids: string[]): Promise<Map<string, EntryState>> {
  const rows: EntryRow[] = await manager.query(
    `SELECT member_id, status, listing_consent, contact_consent, legal_name, country, region,
            organisation_type, size_class, sector_codes, focus_areas, website, description, statement,
            logo_url, contact_name, contact_email, contact_phone, membership_type,
            member_since::text AS member_since, last_event_at
       FROM ${table} WHERE member_id = ANY($1::uuid[]) FOR UPDATE`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.member_id,
      {
        memberId: r.member_id,
        status: r.status,
        listingConsent: r.listing_consent,
        contactConsent: r.contact_consent,
        legalName: r.legal_name,
        country: r.country,
        region: r.region,
        organisationType: r.organisation_type,
        sizeClass: r.size_class,
        sectorCodes: r.sector_codes,
        focusAreas: r.focus_areas,
        website: r.website,
        description: r.description,
        statement: r.statement,
        logoUrl: r.logo_url,
        contactName: r.contact_name,
        contactEmail: r.contact_email,
        contactPhone: r.contact_phone,
        membershipType: r.membership_type,
        memberSince: r.member_since,
        lastEventAt: r.last_event_at,
      },
    ]),
  );
}

/** Column name → SQL type, in the order of the upsert. */
const COLUMNS: [string, string][] = [
  ['member_id', 'uuid'],
  ['listed', 'boolean'],
  ['status', 'text'],
  ['listing_consent', 'boolean'],
  ['contact_consent', 'boolean'],
  ['legal_name', 'text'],
  ['sort_name', 'text'],
  ['search_name', 'text'],
  ['country', 'char(2)'],
  ['region', 'text'],
  ['organisation_type', 'text'],
  ['size_class', 'text'],
  ['sector_codes', 'text[]'],
  ['sector_prefixes', 'text[]'],
  ['focus_areas', 'text[]'],
  ['website', 'text'],
  ['description', 'text'],
  ['statement', 'text'],
  ['logo_url', 'text'],
  ['contact_name', 'text'],
  ['contact_email', 'text'],
  ['contact_phone', 'text'],
  ['membership_type', 'text'],
  ['member_since', 'date'],
  ['last_event_at', 'timestamptz'],
];

/** One multi-row upsert for the whole batch; the search vector is computed by Postgres from folded text. */
async function upsertStates(manager: EntityManager, table: string, states: EntryState[]): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map((s) => ({
    member_id: s.memberId,
    listed: isListed(s),
    status: s.status,
    listing_consent: s.listingConsent,
    contact_consent: s.contactConsent,
    legal_name: s.legalName,
    sort_name: s.legalName.toLocaleLowerCase('lt'),
    search_name: foldText(s.legalName),
    country: s.country,
    region: s.region,
    organisation_type: s.organisationType,
    size_class: s.sizeClass,
    sector_codes: s.sectorCodes,
    sector_prefixes: sectorPrefixes(s.sectorCodes),
    focus_areas: s.focusAreas,
    website: s.website,
    description: s.description,
    statement: s.statement,
    logo_url: s.logoUrl,
    contact_name: s.contactName,
    contact_email: s.contactEmail,
    contact_phone: s.contactPhone,
    membership_type: s.membershipType,
    member_since: s.memberSince,
    last_event_at: s.lastEventAt.toISOString(),
    statement_folded: foldText(s.statement ?? ''),
    description_folded: foldText(s.description ?? ''),
  }));
  const names = COLUMNS.map(([name]) => name);
  await manager.query(
    `INSERT INTO ${table} (${names.join(', ')}, search_vector)
     SELECT ${names.map((n) => `r.${n}`).join(', ')},
            setweight(to_tsvector('simple', r.search_name), 'A')
         || setweight(to_tsvector('simple', r.statement_folded), 'B')
         || setweight(to_tsvector('simple', r.description_folded), 'C')
       FROM jsonb_to_recordset($1::jsonb)
         AS r(${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')}, statement_folded text, description_folded text)
     ON CONFLICT (member_id) DO UPDATE SET
       ${[...names.filter((n) => n !== 'member_id'), 'search_vector'].map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}
