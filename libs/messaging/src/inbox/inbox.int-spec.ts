import { DataSource } from 'typeorm';
import { memberAdmittedEvent } from '@valley/testing';
import { dropScratchSchema, scratchSchema } from '../testing/scratch-schema';
import { claimUnprocessed } from './inbox';
import { InboxMessage } from './inbox-message.entity';

const SCHEMA = 'inbox_int_test';

describe('inbox: idempotent consumption (real Postgres)', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await scratchSchema(SCHEMA);
  });

  afterAll(async () => dropScratchSchema(db, SCHEMA));

  it('hands over each event once per consumer, in order, even when a batch repeats it', async () => {
    const [a, b, c] = [memberAdmittedEvent(), memberAdmittedEvent(), memberAdmittedEvent()];
    const first = await db.transaction((m) => claimUnprocessed(m, 'projection', [a, b, a]));
    expect(first.map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);

    const redelivered = await db.transaction((m) => claimUnprocessed(m, 'projection', [b, c, a]));
    expect(redelivered.map((e) => e.eventId)).toEqual([c.eventId]);

    const otherConsumer = await db.transaction((m) => claimUnprocessed(m, 'reports', [a]));
    expect(otherConsumer.map((e) => e.eventId)).toEqual([a.eventId]);
  });

  it('forgets a claim whose transaction rolled back, so the event is applied on redelivery', async () => {
    const event = memberAdmittedEvent();
    await expect(
      db.transaction(async (m) => {
        await claimUnprocessed(m, 'projection', [event]);
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await db.getRepository(InboxMessage).countBy({ eventId: event.eventId })).toBe(0);

    const retried = await db.transaction((m) => claimUnprocessed(m, 'projection', [event]));
    expect(retried).toHaveLength(1);
  });
});
