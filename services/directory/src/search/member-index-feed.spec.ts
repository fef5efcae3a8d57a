import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessChecks, ServiceMetrics } from '@valley/platform';
import { DataSource } from 'typeorm';
import { MemberIndex } from './member-index';
import { WrittenEntry } from '../projection';
import { MemberIndexFeed, parseSnapshot } from './member-index-feed';
import { SearchMetrics } from './search-metrics';

/** A feed over the (fake) table, filling an index of its own. */
function feedOver(dataSource: DataSource, readiness = new ReadinessChecks()) {
  const index = new MemberIndex();
  const feed = new MemberIndexFeed(
    dataSource,
    index,
    new SearchMetrics(new ServiceMetrics(), index),
    new HealthIndicatorService(),
    readiness,
  );
  return { index, feed };
}

describe('MemberIndexFeed readiness', () => {
  let databaseUp = true;
  // The table, empty: what the feed reads of it (the real reads run in the integration suites).
  const dataSource = {
    getMetadata: () => ({ tablePath: 'directory.directory_entries' }),
    // One statement: the snapshot, joined to no changed row.
    query: async () => {
      if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return [{ snapshot: '1:1:', member_id: null, changed_xid: null }];
    },
  } as unknown as DataSource;
  const readiness = new ReadinessChecks();
  const { feed } = feedOver(dataSource, readiness);

  afterEach(() => jest.useRealTimers());

  it('is ready after a read, and down naming the error once reads have failed for STALE_AFTER_MS', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-27T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const [check] = readiness.all();
    await feed.catchUp();
    expect(await check()).toEqual({ searchIndex: { status: 'up', members: 0, lastReadMsAgo: 0 } });

    databaseUp = false;
    await expect(feed.catchUp()).rejects.toThrow('ECONNREFUSED');
    jest.setSystemTime(Date.now() + MemberIndexFeed.STALE_AFTER_MS);
    expect((await check()).searchIndex.status).toBe('up');
    jest.setSystemTime(Date.now() + 1);
    expect(await check()).toEqual({
      searchIndex: {
        status: 'down',
        members: 0,
        lastReadMsAgo: MemberIndexFeed.STALE_AFTER_MS + 1,
        error: 'connect ECONNREFUSED 127.0.0.1:5432',
      },
    });

    databaseUp = true;
    await feed.catchUp();
    expect((await check()).searchIndex.status).toBe('up');
  });
});

describe('MemberIndexFeed: what this instance wrote, and a read that is older', () => {
  const memberId = '6f0c2a52-9d0e-4a6b-8a47-3f4e3c1d2b10';
  const entry = (legalName: string, changedXid: number): WrittenEntry => ({
    member_id: memberId,
    status: 'active',
    listing_consent: true,
    contact_consent: false,
    legal_name: legalName,
    country: 'LT',
    region: 'Kauno apskritis',
    organisation_type: 'company',
    size_class: 'small',
    sector_codes: ['C28'],
    focus_areas: [],
    website: null,
    description: null,
    statement: null,
    logo_url: null,
    contact_name: null,
    contact_email: null,
    contact_phone: null,
    membership_type: 'full',
    member_since: '2026-12-01',
    visibility: null,
    last_event_at: new Date('2026-12-01T10:00:00Z'),
    changed_xid: String(changedXid),
  });
  /** What the next read returns: its snapshot, and the rows changed. */
  let nextRead: { snapshot: string; rows: WrittenEntry[] };
  const dataSource = {
    getMetadata: () => ({ tablePath: 'directory.directory_entries' }),
    query: async () =>
      nextRead.rows.length === 0
        ? [{ snapshot: nextRead.snapshot, member_id: null, changed_xid: null }]
        : nextRead.rows.map((row) => ({ snapshot: nextRead.snapshot, ...row })),
  } as unknown as DataSource;
  const { index, feed } = feedOver(dataSource);
  const shownName = () => JSON.parse(index.get(memberId)!.profileJson).legalName;

  it('shows a written entry at once, and leaves it alone when a read from before its commit returns it older', async () => {
    nextRead = { snapshot: '90:90:', rows: [] };
    await feed.catchUp();
    expect(index.get(memberId)).toBeUndefined();

    feed.applyWritten([entry('Naujas pavadinimas UAB', 100)]);
    expect(shownName()).toBe('Naujas pavadinimas UAB');

    // Its snapshot was taken while transaction 100 ran: it still has the version of 95.
    nextRead = { snapshot: '95:101:100', rows: [entry('Senas pavadinimas UAB', 95)] };
    await feed.catchUp();
    expect(shownName()).toBe('Naujas pavadinimas UAB');

    // A later read sees 100, and a newer writer (another instance's): that one is applied.
    nextRead = { snapshot: '101:106:', rows: [entry('Naujas pavadinimas UAB', 100)] };
    await feed.catchUp();
    nextRead = { snapshot: '106:106:', rows: [entry('Dar naujesnis UAB', 105)] };
    await feed.catchUp();
    expect(shownName()).toBe('Dar naujesnis UAB');

    // An entry written by this instance and unlisted leaves the index.
    feed.applyWritten([{ ...entry('Dar naujesnis UAB', 107), listing_consent: false }]);
    expect(index.get(memberId)).toBeUndefined();
  });

  it('leaves a written entry alone when a read that saw it committed applied a later one already', async () => {
    // This instance was slow to apply its own write (110): another instance's later one (115) came
    // first, through a read whose snapshot sees both.
    nextRead = { snapshot: '116:116:', rows: [entry('Kitos instancijos UAB', 115)] };
    await feed.catchUp();
    feed.applyWritten([entry('Pavėlavęs UAB', 110)]);
    expect(shownName()).toBe('Kitos instancijos UAB');

    // A write the last read did not see is this instance's newest: applied.
    feed.applyWritten([entry('Naujausias UAB', 120)]);
    expect(shownName()).toBe('Naujausias UAB');
  });

  it('reads a snapshot: below xmin seen, from xmax on not, in between unless still running', () => {
    const snapshot = parseSnapshot('95:101:97,100');
    expect(snapshot.xmin).toBe(95n);
    expect([94n, 95n, 96n, 97n, 99n, 100n, 101n].map(snapshot.sees)).toEqual([
      true,
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
  });
});
