import { ReadCache } from './read-cache';

describe('ReadCache', () => {
  it('serves a hit without loading again, and loads again after invalidate', async () => {
    const cache = new ReadCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    cache.invalidate();
    expect(await cache.get('a', load)).toBe(2);
  });

  it('shares one load between concurrent misses and keeps no failures', async () => {
    const cache = new ReadCache();
    let loads = 0;
    const [x, y] = await Promise.all([cache.get('k', async () => ++loads), cache.get('k', async () => ++loads)]);
    expect([x, y, loads]).toEqual([1, 1, 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('bad', async () => 'ok')).toBe('ok');
  });

  it('expires entries after the TTL', async () => {
    const cache = new ReadCache();
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000);
    await cache.get('t', async () => 'old');
    now.mockReturnValue(1_000 + ReadCache.TTL_MS + 1);
    expect(await cache.get('t', async () => 'new')).toBe('new');
    now.mockRestore();
  });
});
