import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessChecks, ServiceMetrics } from '@valley/platform';
import { DataSource } from 'typeorm';
import { MemberIndex } from './member-index';
import { MemberIndexFeed } from './member-index-feed';
import { SearchMetrics } from './search-metrics';

describe('MemberIndexFeed readiness', () => {
  let databaseUp = true;
  // The table, empty: what the feed reads of it (the real reads run in the integration suites).
  const dataSource = {
    getMetadata: () => ({ tablePath: 'directory.directory_entries' }),
    // One statement: the snapshot's xmin, joined to no changed row.
    query: async () => {
      if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return [{ snapshot_xmin: '1', member_id: null, changed_xid: null }];
    },
  } as unknown as DataSource;
  const readiness = new ReadinessChecks();
  const index = new MemberIndex();
  const feed = new MemberIndexFeed(
    dataSource,
    index,
    new SearchMetrics(new ServiceMetrics(), index),
    new HealthIndicatorService(),
    readiness,
  );

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
