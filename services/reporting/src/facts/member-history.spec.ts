import { randomUUID } from 'node:crypto';
import { foldMemberEvents, IntervalRow, MemberEvent, SpanRow, StoredMember } from './member-history';
import { reportEvents } from '@valley/testing';

const { memberAdmitted, memberProfileUpdated, memberReinstated, memberSuspended, membershipEnded } = reportEvents;

/** Applies folds the way the database does, to compare batch sizes. */
function applyInBatches(events: MemberEvent[], size: number) {
  const intervals = new Map<string, IntervalRow>();
  const spans = new Map<string, SpanRow>();
  for (let i = 0; i < events.length; i += size) {
    const stored = new Map<string, StoredMember>();
    for (const e of events.slice(i, i + size)) {
      const id = e.payload.memberId;
      const latest = <T extends { memberId: string; seq: number }>(rows: Map<string, T>) =>
        [...rows.values()].filter((r) => r.memberId === id).sort((a, b) => b.seq - a.seq)[0] ?? null;
      const interval = latest(intervals);
      const span = latest(spans);
      stored.set(id, { interval: interval && { ...interval }, span: span && { ...span } });
    }
    const changes = foldMemberEvents(stored, events.slice(i, i + size));
    for (const c of changes.closedIntervals) intervals.get(`${c.memberId}/${c.seq}`)!.validTo = c.validTo;
    for (const r of changes.newIntervals) intervals.set(`${r.memberId}/${r.seq}`, { ...r });
    for (const c of changes.closedSpans) spans.get(`${c.memberId}/${c.seq}`)!.endedAt = c.endedAt;
    for (const s of changes.newSpans) spans.set(`${s.memberId}/${s.seq}`, { ...s });
  }
  return { intervals: [...intervals.values()], spans: [...spans.values()] };
}

describe('foldMemberEvents', () => {
  const a = randomUUID();
  const b = randomUUID();
  const history: MemberEvent[] = [
    memberAdmitted(a, '2024-01-01T09:00:00.000Z', { sectorCodes: ['C26.1'], region: 'Kauno apskritis' }),
    memberAdmitted(b, '2024-01-02T09:00:00.000Z'),
    memberProfileUpdated(a, '2024-02-01T09:00:00.000Z', { website: 'https://a.example' }),
    memberProfileUpdated(a, '2024-03-01T09:00:00.000Z', { sectorCodes: ['J62.01'] }),
    memberSuspended(a, '2024-04-01T09:00:00.000Z'),
    memberSuspended(a, '2024-04-02T09:00:00.000Z'),
    memberReinstated(a, '2024-05-01T09:00:00.000Z'),
    membershipEnded(b, '2024-06-01T09:00:00.000Z'),
    memberProfileUpdated(b, '2024-06-02T09:00:00.000Z', { region: 'Vilniaus apskritis' }),
    memberAdmitted(b, '2024-07-01T09:00:00.000Z', { region: 'Vilniaus apskritis' }),
  ];

  it('keeps an interval per status or dimension change, and a span per membership', () => {
    const { intervals, spans } = applyInBatches(history, 100);
    const ofA = intervals.filter((r) => r.memberId === a).sort((x, y) => x.seq - y.seq);
    expect(
      ofA.map((r) => [r.seq, r.status, r.sectorCodes, r.validFrom.toISOString(), r.validTo?.toISOString()]),
    ).toEqual([
      [1, 'active', ['C26.1'], '2024-01-01T09:00:00.000Z', '2024-03-01T09:00:00.000Z'],
      [2, 'active', ['J62.01'], '2024-03-01T09:00:00.000Z', '2024-04-01T09:00:00.000Z'],
      [3, 'suspended', ['J62.01'], '2024-04-01T09:00:00.000Z', '2024-05-01T09:00:00.000Z'],
      [4, 'active', ['J62.01'], '2024-05-01T09:00:00.000Z', undefined],
    ]);
    const ofB = spans.filter((s) => s.memberId === b).sort((x, y) => x.seq - y.seq);
    expect(ofB.map((s) => [s.seq, s.admittedAt.toISOString(), s.endedAt?.toISOString()])).toEqual([
      [1, '2024-01-02T09:00:00.000Z', '2024-06-01T09:00:00.000Z'],
      [2, '2024-07-01T09:00:00.000Z', undefined],
    ]);
    expect(intervals.filter((r) => r.memberId === b).map((r) => r.region)).toEqual([
      'Kauno apskritis',
      'Vilniaus apskritis',
    ]);
  });

  it('gives the same rows whatever the batch size', () => {
    const whole = applyInBatches(history, 100);
    for (const size of [1, 2, 3]) expect(applyInBatches(history, size)).toEqual(whole);
  });
});
