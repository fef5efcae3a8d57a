import { TypedEvent } from '@valley/contracts';

/** What reports need of a member at one time: its status and every dimension reported on. */
export interface MemberState {
  status: 'active' | 'suspended';
  country: string;
  region: string;
  organisationType: string;
  sizeClass: string;
  sectorCodes: string[];
  focusAreas: string[];
}

export interface IntervalRow extends MemberState {
  memberId: string;
  seq: number;
  validFrom: Date;
  validTo: Date | null;
}

export interface SpanRow {
  memberId: string;
  seq: number;
  membershipType: string;
  admittedAt: Date;
  endedAt: Date | null;
}

/** What the database holds for a member before the batch: its latest interval and latest span. */
export interface StoredMember {
  interval: IntervalRow | null;
  span: SpanRow | null;
}

/** The batch's effect on members, to be written with set-based statements. */
export interface MemberChanges {
  /** Stored open intervals that the batch closed. */
  closedIntervals: { memberId: string; seq: number; validTo: Date }[];
  newIntervals: IntervalRow[];
  closedSpans: { memberId: string; seq: number; endedAt: Date }[];
  newSpans: SpanRow[];
}

export type MemberEvent = TypedEvent<
  'MemberAdmitted' | 'MemberProfileUpdated' | 'MemberSuspended' | 'MemberReinstated' | 'MembershipEnded'
>;

const MEMBER_EVENT_TYPES = new Set<string>([
  'MemberAdmitted',
  'MemberProfileUpdated',
  'MemberSuspended',
  'MemberReinstated',
  'MembershipEnded',
]);

export function isMemberEvent(event: TypedEvent): event is MemberEvent {
  return MEMBER_EVENT_TYPES.has(event.type);
}

const DIMENSIONS = ['country', 'region', 'organisationType', 'sizeClass', 'sectorCodes', 'focusAreas'] as const;

interface Tracked {
  interval: IntervalRow | null;
  intervalStored: boolean;
  span: SpanRow | null;
  spanStored: boolean;
}

/**
 * Folds a batch of member events (in their Kafka order, which per member is the order they
 * happened in) over what is stored, into intervals and spans to close and to insert. Time is
 * each event's `occurredAt`. Pure, so that the batch size does not change the result: a
 * rebuild (2,000 at a time) ends with the same rows as live consumption (500 at a time).
 */
export function foldMemberEvents(stored: ReadonlyMap<string, StoredMember>, events: MemberEvent[]): MemberChanges {
  const changes: MemberChanges = { closedIntervals: [], newIntervals: [], closedSpans: [], newSpans: [] };
  const members = new Map<string, Tracked>();
  const track = (memberId: string): Tracked => {
    let tracked = members.get(memberId);
    if (!tracked) {
      const s = stored.get(memberId);
      tracked = { interval: s?.interval ?? null, intervalStored: true, span: s?.span ?? null, spanStored: true };
      members.set(memberId, tracked);
    }
    return tracked;
  };

  const closeInterval = (m: Tracked, at: Date) => {
    const interval = m.interval;
    if (!interval || interval.validTo) return;
    interval.validTo = at < interval.validFrom ? interval.validFrom : at;
    if (m.intervalStored) {
      changes.closedIntervals.push({ memberId: interval.memberId, seq: interval.seq, validTo: interval.validTo });
    }
  };
  const openInterval = (m: Tracked, memberId: string, at: Date, state: MemberState) => {
    const previous = m.interval;
    const validFrom = previous?.validTo && at < previous.validTo ? previous.validTo : at;
    const interval: IntervalRow = { memberId, seq: (previous?.seq ?? 0) + 1, validFrom, validTo: null, ...state };
    changes.newIntervals.push(interval);
    m.interval = interval;
    m.intervalStored = false;
  };
  const isMember = (m: Tracked) => m.span !== null && m.span.endedAt === null;

  for (const event of events) {
    const at = new Date(event.occurredAt);
    const m = track(event.payload.memberId);
    switch (event.type) {
      case 'MemberAdmitted': {
        if (isMember(m)) break; // already a member: a second admission changes nothing
        const p = event.payload;
        const span: SpanRow = {
          memberId: p.memberId,
          seq: (m.span?.seq ?? 0) + 1,
          membershipType: p.membershipType,
          admittedAt: at,
          endedAt: null,
        };
        changes.newSpans.push(span);
        m.span = span;
        m.spanStored = false;
        openInterval(m, p.memberId, at, {
          status: 'active',
          country: p.country,
          region: p.region,
          organisationType: p.organisationType,
          sizeClass: p.sizeClass,
          sectorCodes: [...p.sectorCodes],
          focusAreas: [...p.focusAreas],
        });
        break;
      }
      case 'MemberProfileUpdated': {
        if (!isMember(m) || !m.interval) break;
        const next = withChanges(m.interval, event.payload.changes as Record<string, unknown>);
        if (!next) break; // nothing reported on changed (contact, website, ...)
        closeInterval(m, at);
        openInterval(m, event.payload.memberId, at, next);
        break;
      }
      case 'MemberSuspended':
      case 'MemberReinstated': {
        const status = event.type === 'MemberSuspended' ? 'suspended' : 'active';
        if (!isMember(m) || !m.interval || m.interval.status === status) break;
        const current = m.interval;
        closeInterval(m, at);
        openInterval(m, event.payload.memberId, at, { ...stateOf(current), status });
        break;
      }
      case 'MembershipEnded': {
        if (!isMember(m)) break;
        closeInterval(m, at);
        const span = m.span!;
        span.endedAt = at < span.admittedAt ? span.admittedAt : at;
        if (m.spanStored) changes.closedSpans.push({ memberId: span.memberId, seq: span.seq, endedAt: span.endedAt });
        break;
      }
    }
  }
  return changes;
}

function stateOf(row: IntervalRow): MemberState {
  return {
    status: row.status,
    country: row.country,
    region: row.region,
    organisationType: row.organisationType,
    sizeClass: row.sizeClass,
    sectorCodes: row.sectorCodes,
    focusAreas: row.focusAreas,
  };
}

/** The state after a profile change, or null when no reported dimension changed. */
function withChanges(current: IntervalRow, changes: Partial<Record<string, unknown>>): MemberState | null {
  const next: MemberState = stateOf(current);
  let changed = false;
  for (const dimension of DIMENSIONS) {
    const value = changes[dimension];
    if (value === undefined || value === null) continue;
    if (JSON.stringify(value) === JSON.stringify(next[dimension])) continue;
    (next as unknown as Record<string, unknown>)[dimension] = Array.isArray(value) ? [...value] : value;
    changed = true;
  }
  return changed ? next : null;
}
