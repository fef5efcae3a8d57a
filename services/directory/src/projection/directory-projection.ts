import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Subscriptions, TypedEvent } from '@valley/contracts';
import { inboxClaim } from '@valley/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryEntry } from './directory-entry.entity';
import { ENTRY_STATE_COLUMNS, EntryRow, entryStateFromRow } from './entry-row';
import { applyEvent, EntryState, isListed } from './entry-state';

export const DIRECTORY_CONSUMER = Subscriptions.directoryProjection.consumer;

/** One event's change of one entry, as the batch applied it. */
export interface EntryTransition {
  event: TypedEvent;
  before: EntryState | null;
  after: EntryState;
}

/** Told of a batch's changes inside its transaction: what it writes commits with them, or not at all. */
export type TransitionListener = (manager: EntityManager, transitions: EntryTransition[]) => Promise<void>;

/** An entry as a batch wrote it (ENTRY_STATE_COLUMNS), with the id of the transaction that wrote it. */
export type WrittenEntry = EntryRow & { changed_xid: string };

/** Told of a batch's written entries once its transaction committed. */
export type CommittedListener = (written: WrittenEntry[]) => Promise<void>;

/**
 * Keeps the directory read model in step with membership events, a whole batch at a time:
 * one transaction, two statements whatever the batch size (the inbox claim with the read of the
 * touched entries under a row lock; one multi-row upsert), and the listeners' own. Events are
 * folded per member in batch order (Kafka keeps a member's events in order), through the pure
 * `applyEvent`.
 */
@Injectable()
export class DirectoryProjection {
  /** Told after every batch that changed entries, once it committed (the rebuild has none). */
  private readonly committed: CommittedListener[] = [];
  /** Told of every batch's changes in its transaction (the rebuild has none: a replay is no news). */
  private readonly transitionListeners: TransitionListener[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Calls `listener` with the entries a batch wrote (as the upsert returned them), once its
   * transaction committed, and waits for it before the batch counts as done (before the consumer
   * commits its offsets): this instance's search index applies them then (SearchModule), so it
   * shows the change at once, without reading it back.
   */
  onCommitted(listener: CommittedListener): void {
    this.committed.push(listener);
  }

  /** Calls `listener` with each batch's changes, event by event, inside the batch's transaction. */
  onTransitions(listener: TransitionListener): void {
    this.transitionListeners.push(listener);
  }

  async apply(events: TypedEvent[]): Promise<void> {
    const written = await this.dataSource.transaction(async (manager) => {
      const table = manager.getRepository(DirectoryEntry).metadata.tablePath;
      const { fresh, states } = await claimAndLoad(manager, table, events);
      if (fresh.length === 0) return [];
      const changed = new Map<string, EntryState>();
      const transitions: EntryTransition[] = [];
      for (const event of fresh) {
        const id = memberIdOf(event);
        const before = states.get(id) ?? null;
        const after = applyEvent(before, event);
        if (after && after !== before) {
          states.set(id, after);
          changed.set(id, after);
          transitions.push({ event, before, after });
        }
      }
      const rows = await upsertStates(manager, table, [...changed.values()]);
      if (transitions.length > 0) for (const listener of this.transitionListeners) await listener(manager, transitions);
      return rows;
    });
    if (written.length > 0) for (const listener of this.committed) await listener(written);
  }
}

function memberIdOf(event: TypedEvent): string {
  return (event.payload as { memberId?: string }).memberId ?? event.aggregateId;
}

/**
 * One statement: the batch's inbox claim, and the entries of its members read and locked (of every
 * member the batch names: a redelivered event's entry is locked and read too, and left alone).
 */
async function claimAndLoad(
  manager: EntityManager,
  table: string,
  events: TypedEvent[],
): Promise<{ fresh: TypedEvent[]; states: Map<string, EntryState> }> {
  const claim = inboxClaim(manager, DIRECTORY_CONSUMER, events, 2);
  const rows: (EntryRow & { claimed_ids: string[] })[] = await manager.query(
    `WITH claimed AS (${claim.sql}),
          entries AS (SELECT ${ENTRY_STATE_COLUMNS} FROM ${table} WHERE member_id = ANY($1::uuid[]) FOR UPDATE)
     SELECT claims.claimed_ids, entries.*
       FROM (SELECT coalesce(array_agg(event_id::text), '{}') AS claimed_ids FROM claimed) claims
       LEFT JOIN entries ON true`,
    [[...new Set(events.map(memberIdOf))], ...claim.params],
  );
  return {
    fresh: claim.fresh(rows[0].claimed_ids),
    states: new Map(rows.filter((r) => r.member_id !== null).map((r) => [r.member_id, entryStateFromRow(r)])),
  };
}

/** Column name → SQL type, in the order of the upsert. */
const COLUMNS: [string, string][] = [
  ['member_id', 'uuid'],
  ['listed', 'boolean'],
  ['status', 'text'],
  ['listing_consent', 'boolean'],
  ['contact_consent', 'boolean'],
  ['legal_name', 'text'],
  ['country', 'char(2)'],
  ['region', 'text'],
  ['organisation_type', 'text'],
  ['size_class', 'text'],
  ['sector_codes', 'text[]'],
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
  ['visibility', 'jsonb'],
  ['last_event_at', 'timestamptz'],
];

/**
 * One multi-row upsert for the whole batch. Each row records the transaction that wrote it
 * (`changed_xid`), which is how every instance's search index finds what changed; the rows come
 * back as written, for this instance's index.
 */
async function upsertStates(manager: EntityManager, table: string, states: EntryState[]): Promise<WrittenEntry[]> {
  if (states.length === 0) return [];
  const rows = states.map((s) => ({
    member_id: s.memberId,
    listed: isListed(s),
    status: s.status,
    listing_consent: s.listingConsent,
    contact_consent: s.contactConsent,
    legal_name: s.legalName,
    country: s.country,
    region: s.region,
    organisation_type: s.organisationType,
    size_class: s.sizeClass,
    sector_codes: s.sectorCodes,
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
    visibility: s.visibility,
    last_event_at: s.lastEventAt.toISOString(),
  }));
  const names = COLUMNS.map(([name]) => name);
  return manager.query(
    `INSERT INTO ${table} (${names.join(', ')}, changed_xid)
     SELECT ${names.map((n) => `r.${n}`).join(', ')}, pg_current_xact_id()::text::bigint
       FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})
     ON CONFLICT (member_id) DO UPDATE SET
       ${[...names.filter((n) => n !== 'member_id'), 'changed_xid'].map((n) => `${n} = EXCLUDED.${n}`).join(', ')}
     RETURNING ${ENTRY_STATE_COLUMNS}, changed_xid::text AS changed_xid`,
    [JSON.stringify(rows)],
  );
}
