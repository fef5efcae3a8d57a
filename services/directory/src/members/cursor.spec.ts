import { DirectoryException } from '../errors/directory.exception';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';

const id = '7b0c5a36-2b9c-4a1f-9a43-1d3bb7f0a001';

describe('cursor', () => {
  const print = queryFingerprint({ q: 'bal' });

  it('round-trips for every sort order', () => {
    expect(decodeCursor(encodeCursor({ sort: 'name', key: ['baltled uab', id] }, print), 'name', print).key).toEqual([
      'baltled uab',
      id,
    ]);
    expect(decodeCursor(encodeCursor({ sort: 'relevance', key: [1234, id] }, print), 'relevance', print).key[0]).toBe(
      1234,
    );
    expect(
      decodeCursor(encodeCursor({ sort: '-memberSince', key: ['2020-04-27', id] }, print), '-memberSince', print).key,
    ).toEqual(['2020-04-27', id]);
  });

  it('refuses garbage, another query and another sort order', () => {
    const cursor = encodeCursor({ sort: 'name', key: ['x', id] }, print);
    expect(() => decodeCursor('not-a-cursor', 'name', print)).toThrow(DirectoryException);
    expect(() => decodeCursor(cursor, 'name', queryFingerprint({ q: 'other' }))).toThrow(/another query/);
    expect(() => decodeCursor(cursor, 'memberSince', print)).toThrow(/another query or sort/);
    const forged = Buffer.from(JSON.stringify(['relevance', 'x', id, print])).toString('base64url');
    expect(() => decodeCursor(forged, 'relevance', print)).toThrow(/not a cursor/);
  });
});
