import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TypedEvent } from '@valley/contracts';
import { claimUnprocessed } from '@valley/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryEntry } from './directory-entry.entity';

export const DIRECTORY_CONSUMER = 'directory-projection';

/** Keeps the directory read model in step with membership events. */
@Injectable()
export class DirectoryProjection {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Applies a batch in one transaction; events already applied are skipped (inbox). */
  async apply(events: TypedEvent[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const event of await claimUnprocessed(manager, DIRECTORY_CONSUMER, events)) {
        await this.applyOne(manager, event);
      }
    });
  }

  private async applyOne(manager: EntityManager, event: TypedEvent): Promise<void> {
    switch (event.type) {
      case 'MemberAdmitted': {
        const p = event.payload;
        const entry: DirectoryEntry = {
          memberId: p.memberId,
          listed: p.consent.publicListing,
          legalName: p.legalName,
          sortName: p.legalName.toLocaleLowerCase('lt'),
          country: p.country,
          region: p.region,
          organisationType: p.organisationType,
          sizeClass: p.sizeClass,
          sectorCodes: p.sectorCodes,
          focusAreas: p.focusAreas,
          website: p.website ?? null,
          description: p.description ?? null,
          membershipType: p.membershipType,
          memberSince: p.admittedOn,
          lastEventAt: new Date(event.occurredAt),
        };
        await upsertEntry(manager, entry);
        return;
      }
      default:
        return;
    }
  }
}

const ENTRY_COLUMNS: [keyof DirectoryEntry, string][] = [
  ['memberId', 'member_id'],
  ['listed', 'listed'],
  ['legalName', 'legal_name'],
  ['sortName', 'sort_name'],
  ['country', 'country'],
  ['region', 'region'],
  ['organisationType', 'organisation_type'],
  ['sizeClass', 'size_class'],
  ['sectorCodes', 'sector_codes'],
  ['focusAreas', 'focus_areas'],
  ['website', 'website'],
  ['description', 'description'],
  ['membershipType', 'membership_type'],
  ['memberSince', 'member_since'],
  ['lastEventAt', 'last_event_at'],
];

/** Insert or replace an entry, unless it already reflects a newer event (out-of-order arrival). */
async function upsertEntry(manager: EntityManager, entry: DirectoryEntry): Promise<void> {
  const table = manager.getRepository(DirectoryEntry).metadata.tablePath;
  const columns = ENTRY_COLUMNS.map(([, column]) => column);
  await manager.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (member_id) DO UPDATE SET
       ${columns
         .filter((c) => c !== 'member_id')
         .map((c) => `${c} = EXCLUDED.${c}`)
         .join(', ')}
     WHERE directory_entries.last_event_at <= EXCLUDED.last_event_at`,
    ENTRY_COLUMNS.map(([property]) => entry[property]),
  );
}
