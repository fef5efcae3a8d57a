import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventType, Subscriptions, TypedEvent } from '@valley/contracts';
import { claimUnprocessed } from '@valley/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { foldMemberEvents, IntervalRow, isMemberEvent, MemberChanges, SpanRow, StoredMember } from './member-history';

export const REPORTING_CONSUMER = Subscriptions.reportingFacts.consumer;

/** Every event the reports are built from. */
export const REPORTED_EVENTS: readonly EventType[] = Subscriptions.reportingFacts.handles;

const T = {
  spans: '"reporting"."member_spans"',
  intervals: '"reporting"."member_intervals"',
  applications: '"reporting"."application_facts"',
  outcomes: '"reporting"."notification_outcomes"',
  days: '"reporting"."notification_days"',
  bounces: '"reporting"."notification_bounces"',
};

/** The read model's tables, emptied by a rebuild. */
export const READ_MODEL_TABLES = Object.values(T);

/**
 * Records the facts reports need from a batch of events: one transaction per batch (with the
 * inbox rows that make it idempotent), a handful of set-based statements whatever its size.
 */
@Injectable()
export class ReportFacts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async apply(events: TypedEvent[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const fresh = await claimUnprocessed(manager, REPORTING_CONSUMER, events);
      if (fresh.length === 0) return;
      await recordApplications(manager, fresh);
      await recordMembers(manager, fresh);
      await recordNotifications(manager, fresh);
      await recordBounces(manager, fresh);
    });
  }
}

async function recordApplications(manager: EntityManager, events: TypedEvent[]): Promise<void> {
  const submitted: { id: string; org: string; at: string }[] = [];
  const decided = new Map<string, { at: string; outcome: string }>();
  const decide = (id: string | null | undefined, at: string, outcome: string) => {
    if (id && !decided.has(id)) decided.set(id, { at, outcome }); // the first decision stands
  };
  for (const e of events) {
    if (e.type === 'ApplicationSubmitted') {
      submitted.push({ id: e.payload.applicationId, org: e.aggregateId, at: e.occurredAt });
    } else if (e.type === 'ApplicationRejected') decide(e.payload.applicationId, e.occurredAt, 'rejected');
    else if (e.type === 'ApplicationWithdrawn') decide(e.payload.applicationId, e.occurredAt, 'withdrawn');
    else if (e.type === 'MemberAdmitted') decide(e.payload.applicationId, e.occurredAt, 'admitted');
  }
  if (submitted.length > 0) {
    await manager.query(
      `INSERT INTO ${T.applications} (application_id, organisation_id, submitted_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [submitted.map((s) => s.id), submitted.map((s) => s.org), submitted.map((s) => s.at)],
    );
  }
  if (decided.size > 0) {
    const rows = [...decided];
    await manager.query(
      `UPDATE ${T.applications} a SET decided_at = d.at, outcome = d.outcome
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS d(id, at, outcome)
       WHERE a.application_id = d.id AND a.outcome IS NULL`,
      [rows.map(([id]) => id), rows.map(([, d]) => d.at), rows.map(([, d]) => d.outcome)],
    );
  }
}

async function recordMembers(manager: EntityManager, events: TypedEvent[]): Promise<void> {
  const memberEvents = events.filter(isMemberEvent);
  if (memberEvents.length === 0) return;
  const ids = [...new Set(memberEvents.map((e) => e.payload.memberId))];
  const stored = new Map<string, StoredMember>(ids.map((id) => [id, { interval: null, span: null }]));
  // Each member's latest interval and latest span, in one statement.
  const latest: Record<string, unknown>[] = await manager.query(
    `SELECT m.member_id,
            i.seq AS interval_seq, i.valid_from, i.valid_to, i.status, i.country, i.region,
            i.organisation_type, i.size_class, i.sector_codes, i.focus_areas,
            s.seq AS span_seq, s.membership_type, s.admitted_at, s.ended_at
     FROM unnest($1::uuid[]) AS m(member_id)
     LEFT JOIN LATERAL (SELECT * FROM ${T.intervals} WHERE member_id = m.member_id ORDER BY seq DESC LIMIT 1) i ON true
     LEFT JOIN LATERAL (SELECT * FROM ${T.spans} WHERE member_id = m.member_id ORDER BY seq DESC LIMIT 1) s ON true`,
    [ids],
  );
  for (const r of latest) {
    const member = stored.get(r.member_id as string)!;
    if (r.interval_seq !== null) member.interval = toIntervalRow({ ...r, seq: r.interval_seq });
    if (r.span_seq !== null) member.span = toSpanRow({ ...r, seq: r.span_seq });
  }
  await writeMemberChanges(manager, foldMemberEvents(stored, memberEvents));
}

async function writeMemberChanges(manager: EntityManager, changes: MemberChanges): Promise<void> {
  const { closedIntervals, newIntervals, closedSpans, newSpans } = changes;
  if (closedIntervals.length > 0) {
    await manager.query(
      `UPDATE ${T.intervals} m SET valid_to = c.valid_to
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS c(member_id, seq, valid_to)
       WHERE m.member_id = c.member_id AND m.seq = c.seq`,
      [
        closedIntervals.map((c) => c.memberId),
        closedIntervals.map((c) => c.seq),
        closedIntervals.map((c) => c.validTo),
      ],
    );
  }
  if (newIntervals.length > 0) {
    const col = <K extends keyof IntervalRow>(key: K) => newIntervals.map((r) => r[key]);
    await manager.query(
      `INSERT INTO ${T.intervals} (member_id, seq, valid_from, valid_to, status, country, region,
                                   organisation_type, size_class, sector_codes, focus_areas)
       SELECT r.member_id, r.seq, r.valid_from, r.valid_to, r.status, r.country, r.region,
              r.organisation_type, r.size_class, string_to_array(r.sectors, ','), string_to_array(r.focus, ',')
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
                   $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS r(member_id, seq, valid_from, valid_to, status, country, region, organisation_type, size_class,
              sectors, focus)`,
      [
        col('memberId'),
        col('seq'),
        col('validFrom'),
        col('validTo'),
        col('status'),
        col('country'),
        col('region'),
        col('organisationType'),
        col('sizeClass'),
        newIntervals.map((r) => r.sectorCodes.join(',')),
        newIntervals.map((r) => r.focusAreas.join(',')),
      ],
    );
  }
  if (closedSpans.length > 0) {
    await manager.query(
      `UPDATE ${T.spans} s SET ended_at = c.ended_at
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS c(member_id, seq, ended_at)
       WHERE s.member_id = c.member_id AND s.seq = c.seq`,
      [closedSpans.map((c) => c.memberId), closedSpans.map((c) => c.seq), closedSpans.map((c) => c.endedAt)],
    );
  }
  if (newSpans.length > 0) {
    await manager.query(
      `INSERT INTO ${T.spans} (member_id, seq, membership_type, admitted_at, ended_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[])`,
      [
        newSpans.map((s) => s.memberId),
        newSpans.map((s) => s.seq),
        newSpans.map((s) => s.membershipType),
        newSpans.map((s) => s.admittedAt),
        newSpans.map((s) => s.endedAt),
      ],
    );
  }
}

async function recordNotifications(manager: EntityManager, events: TypedEvent[]): Promise<void> {
  const outcomes = events.flatMap((e) =>
    e.type === 'NotificationSent' || e.type === 'NotificationFailed'
      ? [{ outcome: e.type === 'NotificationSent' ? 'sent' : 'failed', at: e.occurredAt, p: e.payload }]
      : [],
  );
  if (outcomes.length === 0) return;
  // A delivery counts once (its first outcome); the daily sums grow by the rows actually inserted.
  await manager.query(
    `WITH inserted AS (
       INSERT INTO ${T.outcomes} (delivery_id, outcome, template, language, recipient_kind, occurred_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
       ON CONFLICT DO NOTHING
       RETURNING outcome, template, language, occurred_at
     )
     INSERT INTO ${T.days} AS d (day, template, language, sent, failed)
     SELECT (occurred_at AT TIME ZONE 'UTC')::date, template, language,
            count(*) FILTER (WHERE outcome = 'sent'), count(*) FILTER (WHERE outcome = 'failed')
     FROM inserted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     ON CONFLICT (day, template, language)
     DO UPDATE SET sent = d.sent + EXCLUDED.sent, failed = d.failed + EXCLUDED.failed`,
    [
      outcomes.map((o) => o.p.deliveryId),
      outcomes.map((o) => o.outcome),
      outcomes.map((o) => o.p.template),
      outcomes.map((o) => o.p.language),
      outcomes.map((o) => o.p.recipientKind),
      outcomes.map((o) => o.at),
    ],
  );
}

async function recordBounces(manager: EntityManager, events: TypedEvent[]): Promise<void> {
  const bounces = events.filter((e): e is TypedEvent<'NotificationBounced'> => e.type === 'NotificationBounced');
  if (bounces.length === 0) return;
  // A delivery bounces once, however many reports came back about it.
  await manager.query(
    `INSERT INTO ${T.bounces} (event_id, delivery_id, source, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      bounces.map((e) => e.eventId),
      bounces.map((e) => e.payload.deliveryId),
      bounces.map((e) => e.payload.source),
      bounces.map((e) => e.payload.bouncedAt),
    ],
  );
}

function toIntervalRow(r: Record<string, unknown>): IntervalRow {
  return {
    memberId: r.member_id as string,
    seq: r.seq as number,
    validFrom: r.valid_from as Date,
    validTo: (r.valid_to as Date | null) ?? null,
    status: r.status as IntervalRow['status'],
    country: r.country as string,
    region: r.region as string,
    organisationType: r.organisation_type as string,
    sizeClass: r.size_class as string,
    sectorCodes: r.sector_codes as string[],
    focusAreas: r.focus_areas as string[],
  };
}

function toSpanRow(r: Record<string, unknown>): SpanRow {
  return {
    memberId: r.member_id as string,
    seq: r.seq as number,
    membershipType: r.membership_type as string,
    admittedAt: r.admitted_at as Date,
    endedAt: (r.ended_at as Date | null) ?? null,
  };
}
