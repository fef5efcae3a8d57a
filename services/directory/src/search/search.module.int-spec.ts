import { admitted } from '@valley/testing';
import request from 'supertest';
import { DirectoryHarness } from '../../test/directory-harness';
import { MemberIndex } from './member-index';

/**
 * Each app has its own search index: two directory apps in one process (as the tests and the
 * input properties create them) must not share one, or one app's index would answer for the other.
 */
describe('search: one index per app', () => {
  const first = new DirectoryHarness();
  const second = new DirectoryHarness();

  beforeAll(async () => {
    await first.start();
    await second.start();
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('gives each app its own MemberIndex, each filled from the table', async () => {
    const one = first.app.get(MemberIndex);
    const other = second.app.get(MemberIndex);
    expect(one).toBeInstanceOf(MemberIndex);
    expect(other).toBeInstanceOf(MemberIndex);
    expect(one).not.toBe(other);

    // An admission applied by the first app's consumer reaches the second app's index through the table.
    const event = admitted({ legalName: 'Vieno Indekso Bandymas UAB' });
    await first.publish(event);
    const id = event.payload.memberId;
    expect(one.get(id)).toBeDefined();
    await request(first.http()).get(`/members/${id}`).expect(200);
    for (let tries = 0; !other.get(id) && tries < 40; tries++) await new Promise((r) => setTimeout(r, 100));
    expect(other.get(id)).toBeDefined();
    expect(other.get(id)).not.toBe(one.get(id));
  });
});
