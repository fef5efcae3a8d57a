import { foldMemberEvents, IntervalRow, isMemberEvent, MemberEvent, SpanRow, StoredMember } from './member-history';
import { reportEvents } from '@valley/testing';

const {
  applicationSubmitted,
  memberAdmitted,
  memberProfileUpdated,
  memberReinstated,
  memberSuspended,
  membershipEnded,
  notificationOutcome,
} = reportEvents;

/**
 * foldMemberEvents case by case, with exact changes: what each event does to a member the batch
 * starts with (stored) or not, late events, repeated ones, and events about no member (beside
 * member-history.spec.ts, which compares batch sizes over a whole history).
 */
const id = 'a0000000-0000-4000-8000-0000000000aa';
const t = (iso: string) => new Date(iso);

const interval = (overrides: Partial<IntervalRow> = {}): IntervalRow => ({
  memberId: id,
  seq: 1,
  validFrom: t('2024-01-01T00:00:00.000Z'),
  validTo: null,
  status: 'active',
  country: 'LT',
  region: 'Kauno apskritis',
  organisationType: 'business',
  sizeClass: 'small',
  sectorCodes: ['C28.4'],
  focusAreas: ['innovation_technologies'],
  ...overrides,
});
const span = (overrides: Partial<SpanRow> = {}): SpanRow => ({
  memberId: id,
  seq: 1,
  membershipType: 'full',
  admittedAt: t('2024-01-01T00:00:00.000Z'),
  endedAt: null,
  ...overrides,
});
const stored = (member: StoredMember) => new Map([[id, member]]);
const none = { closedIntervals: [], newIntervals: [], closedSpans: [], newSpans: [] };
const fold = (events: MemberEvent[], member?: StoredMember) =>
  foldMemberEvents(member ? stored(member) : new Map(), events);

describe('isMemberEvent', () => {
  it('is true for the five member events, and only for them', () => {
    const member = [
      memberAdmitted(id, '2024-01-01T00:00:00.000Z'),
      memberProfileUpdated(id, '2024-01-02T00:00:00.000Z', { region: 'Vilniaus apskritis' }),
      memberSuspended(id, '2024-01-03T00:00:00.000Z'),
      memberReinstated(id, '2024-01-04T00:00:00.000Z'),
      membershipEnded(id, '2024-01-05T00:00:00.000Z'),
    ];
    expect(member.map(isMemberEvent)).toEqual([true, true, true, true, true]);
    expect(isMemberEvent(applicationSubmitted(id, '2024-01-01T00:00:00.000Z'))).toBe(false);
    expect(isMemberEvent(notificationOutcome('sent', '2024-01-01T00:00:00.000Z', 'welcome', 'lt'))).toBe(false);
  });
});

describe('foldMemberEvents, exactly', () => {
  it('an admission of a member the database does not know: a span and an interval with every dimension', () => {
    const event = memberAdmitted(id, '2024-02-01T10:00:00.000Z', {
      sectorCodes: ['C26.1', 'C28'],
      focusAreas: ['cooperation', 'common_marketing'],
      region: 'Vilniaus apskritis',
      country: 'LV',
      organisationType: 'association',
      sizeClass: 'micro',
    });
    const changes = fold([event]);
    expect(changes).toStrictEqual({
      closedIntervals: [],
      newIntervals: [
        {
          memberId: id,
          seq: 1,
          validFrom: t('2024-02-01T10:00:00.000Z'),
          validTo: null,
          status: 'active',
          country: 'LV',
          region: 'Vilniaus apskritis',
          organisationType: 'association',
          sizeClass: 'micro',
          sectorCodes: ['C26.1', 'C28'],
          focusAreas: ['cooperation', 'common_marketing'],
        },
      ],
      closedSpans: [],
      newSpans: [
        { memberId: id, seq: 1, membershipType: 'founding', admittedAt: t('2024-02-01T10:00:00.000Z'), endedAt: null },
      ],
    });
    expect(changes.newIntervals[0].focusAreas).not.toBe(event.payload.focusAreas);
    expect(changes.newIntervals[0].sectorCodes).not.toBe(event.payload.sectorCodes);
  });

  it('a second admission of a member changes nothing', () => {
    expect(fold([memberAdmitted(id, '2024-03-01T00:00:00.000Z')], { interval: interval(), span: span() })).toEqual(
      none,
    );
  });

  it('a re-admission after an end: a new span and an interval from the re-admission', () => {
    const ended = {
      interval: interval({ validTo: t('2024-02-01T00:00:00.000Z') }),
      span: span({ endedAt: t('2024-02-01T00:00:00.000Z') }),
    };
    const changes = fold(
      [memberAdmitted(id, '2024-06-01T00:00:00.000Z', {}, 'b0000000-0000-4000-8000-000000000001')],
      ended,
    );
    expect(changes.newSpans).toEqual([
      { memberId: id, seq: 2, membershipType: 'full', admittedAt: t('2024-06-01T00:00:00.000Z'), endedAt: null },
    ]);
    expect(changes.newIntervals.map((r) => [r.seq, r.validFrom])).toEqual([[2, t('2024-06-01T00:00:00.000Z')]]);
    expect(changes.closedIntervals).toEqual([]);
  });

  it('a re-admission older than the end it follows starts where the last interval ended', () => {
    const ended = {
      interval: interval({ validTo: t('2024-02-01T00:00:00.000Z') }),
      span: span({ endedAt: t('2024-02-01T00:00:00.000Z') }),
    };
    const changes = fold(
      [memberAdmitted(id, '2024-01-15T00:00:00.000Z', {}, 'b0000000-0000-4000-8000-000000000001')],
      ended,
    );
    expect(changes.newIntervals.map((r) => r.validFrom)).toEqual([t('2024-02-01T00:00:00.000Z')]);
  });

  it('a change of a reported dimension closes the stored interval and opens the next one', () => {
    const changes = fold([memberProfileUpdated(id, '2024-03-01T00:00:00.000Z', { region: 'Vilniaus apskritis' })], {
      interval: interval(),
      span: span(),
    });
    expect(changes).toStrictEqual({
      closedIntervals: [{ memberId: id, seq: 1, validTo: t('2024-03-01T00:00:00.000Z') }],
      newIntervals: [interval({ seq: 2, validFrom: t('2024-03-01T00:00:00.000Z'), region: 'Vilniaus apskritis' })],
      closedSpans: [],
      newSpans: [],
    });
  });

  it('a change that repeats a dimension, or gives it as null, changes nothing', () => {
    const member = { interval: interval(), span: span() };
    expect(
      fold(
        [memberProfileUpdated(id, '2024-03-01T00:00:00.000Z', { region: 'Kauno apskritis', sectorCodes: ['C28.4'] })],
        member,
      ),
    ).toEqual(none);
    expect(fold([memberProfileUpdated(id, '2024-03-01T00:00:00.000Z', { region: null } as never)], member)).toEqual(
      none,
    );
  });

  it('an event older than the interval it closes closes it at its start, never before', () => {
    const changes = fold([memberProfileUpdated(id, '2023-12-01T00:00:00.000Z', { region: 'Vilniaus apskritis' })], {
      interval: interval(),
      span: span(),
    });
    expect(changes.closedIntervals).toEqual([{ memberId: id, seq: 1, validTo: t('2024-01-01T00:00:00.000Z') }]);
    expect(changes.newIntervals.map((r) => r.validFrom)).toEqual([t('2024-01-01T00:00:00.000Z')]);
  });

  it('suspension and reinstatement: a new interval each, only when the status changes', () => {
    const member = { interval: interval(), span: span() };
    const suspended = fold([memberSuspended(id, '2024-04-01T00:00:00.000Z')], member);
    expect(suspended.newIntervals).toEqual([
      interval({ seq: 2, validFrom: t('2024-04-01T00:00:00.000Z'), status: 'suspended' }),
    ]);
    expect(fold([memberReinstated(id, '2024-04-01T00:00:00.000Z')], member)).toEqual(none); // already active
  });

  it('an ended member is not suspended, reinstated, changed or ended again', () => {
    const ended = {
      interval: interval({ validTo: t('2024-02-01T00:00:00.000Z'), status: 'suspended' }),
      span: span({ endedAt: t('2024-02-01T00:00:00.000Z') }),
    };
    const events = [
      memberReinstated(id, '2024-03-01T00:00:00.000Z'),
      memberSuspended(id, '2024-03-02T00:00:00.000Z'),
      memberProfileUpdated(id, '2024-03-03T00:00:00.000Z', { region: 'Vilniaus apskritis' }),
      membershipEnded(id, '2024-03-04T00:00:00.000Z'),
    ];
    expect(fold(events, ended)).toEqual(none);
  });

  it('events about a member never admitted change nothing', () => {
    const events = [
      memberReinstated(id, '2024-03-01T00:00:00.000Z'),
      memberSuspended(id, '2024-03-02T00:00:00.000Z'),
      memberProfileUpdated(id, '2024-03-03T00:00:00.000Z', { region: 'Vilniaus apskritis' }),
      membershipEnded(id, '2024-03-04T00:00:00.000Z'),
    ];
    expect(fold(events)).toEqual(none);
    expect(fold(events, { interval: null, span: null })).toEqual(none);
  });

  it('an end closes the span and the interval; an end older than the admission ends it at the admission', () => {
    const member = { interval: interval(), span: span() };
    expect(fold([membershipEnded(id, '2024-05-01T00:00:00.000Z')], member)).toStrictEqual({
      closedIntervals: [{ memberId: id, seq: 1, validTo: t('2024-05-01T00:00:00.000Z') }],
      newIntervals: [],
      closedSpans: [{ memberId: id, seq: 1, endedAt: t('2024-05-01T00:00:00.000Z') }],
      newSpans: [],
    });
    const late = fold([membershipEnded(id, '2023-06-01T00:00:00.000Z')], { interval: interval(), span: span() });
    expect(late.closedSpans).toEqual([{ memberId: id, seq: 1, endedAt: t('2024-01-01T00:00:00.000Z') }]);
  });

  it('an end of a member whose last interval is missing or already closed touches only the span', () => {
    expect(fold([membershipEnded(id, '2024-05-01T00:00:00.000Z')], { interval: null, span: span() })).toEqual({
      ...none,
      closedSpans: [{ memberId: id, seq: 1, endedAt: t('2024-05-01T00:00:00.000Z') }],
    });
    const closed = interval({ validTo: t('2024-04-01T00:00:00.000Z') });
    expect(fold([membershipEnded(id, '2024-05-01T00:00:00.000Z')], { interval: closed, span: span() })).toEqual({
      ...none,
      closedSpans: [{ memberId: id, seq: 1, endedAt: t('2024-05-01T00:00:00.000Z') }],
    });
    expect(closed.validTo).toEqual(t('2024-04-01T00:00:00.000Z'));
  });
});
