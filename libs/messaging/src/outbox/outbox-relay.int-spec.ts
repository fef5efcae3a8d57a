import { createEvent, Topics, TypedEvent } from '@valley/contracts';
import { eventually, memberAdmittedEvent } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LogSink } from '../logging';
import { dropScratchSchema, scratchSchema } from '../testing/scratch-schema';
import { MessageProducer, OutgoingMessage } from '../transport/message-transport';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox-relay';
import { appendToOutbox } from './outbox-writer';

const SCHEMA = 'outbox_relay_int_test';
const TABLE = `"${SCHEMA}"."outbox_messages"`;
const HOUR = 3_600_000;

/** Records what it was given; fails while `failures` is above zero (counting down). */
class RecordingProducer implements MessageProducer {
  readonly sent: OutgoingMessage[][] = [];
  failures = 0;
  /** Sends that succeed before the failures begin. */
  succeedFirst = 0;
  failWith: unknown = new Error('broker unavailable');

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (this.succeedFirst > 0) this.succeedFirst--;
    else if (this.failures > 0) {
      this.failures--;
      throw this.failWith;
    }
    this.sent.push(messages);
  }

  async disconnect(): Promise<void> {}

  get eventIds(): string[] {
    return this.sent.flat().map((m) => JSON.parse(String(m.value)).eventId);
  }
}

const fakeLogger = (): jest.Mocked<LogSink> => ({
  debug: jest.fn(),
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
});

/**
 * The relay's own rules against the real Postgres, with a producer that records (Kafka itself:
 * outbox.int-spec.ts): batches in id order and their size, the relay lock, marking, erasing
 * secrets, the lag, deleting what is past retention, and the loop: polling, wake, stop, backoff.
 */
describe('outbox relay (real Postgres)', () => {
  let db: DataSource;
  let producer: RecordingProducer;
  let logger: jest.Mocked<LogSink>;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    db = await scratchSchema(SCHEMA);
    producer = new RecordingProducer();
    logger = fakeLogger();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await dropScratchSchema(db, SCHEMA);
  });

  const relay = (options: Partial<{ batchSize: number; pollIntervalMs: number; batchesPerRound: number }> = {}) => {
    const created = new OutboxRelay(db, producer, logger, { batchSize: 50, pollIntervalMs: 60_000, ...options });
    relays.push(created);
    return created;
  };
  const append = async (events: TypedEvent[]) => {
    await db.transaction((manager) => appendToOutbox(manager, events));
    return events;
  };
  const rows = () => db.getRepository(OutboxMessage).find({ order: { id: 'ASC' } });
  const setTimes = (eventId: string, column: 'published_at' | 'created_at', hoursAgo: number | null) =>
    db.query(
      `UPDATE ${TABLE} SET ${column} = ${hoursAgo === null ? 'NULL' : `now() - make_interval(secs => $2)`}
       WHERE event_id = $1`,
      hoursAgo === null ? [eventId] : [eventId, (hoursAgo * HOUR) / 1_000],
    );

  describe('publishPendingBatch', () => {
    it('sends the oldest unpublished rows, at most batchSize, as topic, key and envelope, then marks them', async () => {
      const events = await append([memberAdmittedEvent(), memberAdmittedEvent(), memberAdmittedEvent()]);
      const r = relay({ batchSize: 2 });

      expect(await r.publishPendingBatch()).toBe(2);
      expect(producer.sent).toHaveLength(1);
      expect(producer.sent[0]).toEqual(
        events
          .slice(0, 2)
          .map((e) => ({ topic: Topics.MembershipLifecycle, key: e.aggregateId, value: expect.any(String) })),
      );
      expect(producer.sent[0].map((m) => JSON.parse(String(m.value)))).toEqual(events.slice(0, 2));
      const marked = await rows();
      expect(marked.map((row) => row.publishedAt !== null)).toEqual([true, true, false]);

      expect(await r.publishPendingBatch()).toBe(1);
      expect(producer.eventIds).toEqual(events.map((e) => e.eventId));
      expect(await r.publishPendingBatch()).toBe(0);
      expect(producer.sent).toHaveLength(2); // nothing sent for an empty round
    });

    it('a round publishes several batches in id order, each once, each marked once Kafka has it', async () => {
      const events = await append(Array.from({ length: 7 }, () => memberAdmittedEvent()));
      const r = relay({ batchSize: 2, batchesPerRound: 3 });

      expect(await r.publishPending()).toBe(6);
      expect(producer.sent.map((batch) => batch.length)).toEqual([2, 2, 2]);
      expect(producer.eventIds).toEqual(events.slice(0, 6).map((e) => e.eventId));
      expect((await rows()).map((row) => row.publishedAt !== null)).toEqual([...Array(6).fill(true), false]);

      expect(await r.publishPending()).toBe(1);
      expect(producer.eventIds).toEqual(events.map((e) => e.eventId)); // nothing twice
      expect(await r.publishPending()).toBe(0);
    });

    it('a send failing in the middle of a round leaves its batch and the rest unmarked, for the next round', async () => {
      const events = await append(Array.from({ length: 5 }, () => memberAdmittedEvent()));
      producer.succeedFirst = 1;
      producer.failures = 1;
      await expect(relay({ batchSize: 2, batchesPerRound: 3 }).publishPending()).rejects.toThrow('broker unavailable');
      expect((await rows()).map((row) => row.publishedAt !== null)).toEqual([true, true, false, false, false]);

      expect(await relay({ batchSize: 2, batchesPerRound: 3 }).publishPending()).toBe(3);
      expect(producer.eventIds).toEqual(events.map((e) => e.eventId));
    });

    it('publishes nothing while another relay holds the lock', async () => {
      await append([memberAdmittedEvent()]);
      const runner = db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${SCHEMA}.outbox_messages:relay`]);
        expect(await relay().publishPendingBatch()).toBe(0);
        expect(producer.sent).toEqual([]);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(await relay().publishPendingBatch()).toBe(1);
    });

    it('leaves the rows unmarked when the send fails', async () => {
      await append([memberAdmittedEvent()]);
      producer.failures = 1;
      await expect(relay().publishPendingBatch()).rejects.toThrow('broker unavailable');
      expect((await rows()).map((row) => row.publishedAt)).toEqual([null]);
    });

    it('erases the payload of a published row of a secret topic, and only of those', async () => {
      const organisationId = randomUUID();
      const applicationId = randomUUID();
      const access = createEvent({
        type: 'ApplicantAccessIssued',
        producer: 'membership',
        aggregateId: organisationId,
        payload: { applicationId, applicantToken: 'a'.repeat(43) },
      });
      const admitted = memberAdmittedEvent();
      await append([access, admitted]);

      expect(await relay().publishPendingBatch()).toBe(2);

      expect(JSON.parse(String(producer.sent[0][0].value))).toEqual(access); // Kafka got it whole
      const [accessRow, admittedRow] = await rows();
      expect(accessRow.envelope).toEqual({ ...access, payload: { erased: 'published to a secret topic' } });
      expect(admittedRow.envelope).toEqual(admitted);
    });
  });

  describe('appendToOutbox', () => {
    it("stamps a row with the moment it is appended, not its transaction's start", async () => {
      const { started, appended } = await db.transaction(async (manager) => {
        const [{ now }] = await manager.query(`SELECT now()`);
        await manager.query(`SELECT pg_sleep(0.2)`);
        const [event] = [memberAdmittedEvent()];
        await appendToOutbox(manager, [event]);
        const [row] = await manager.query(`SELECT created_at FROM ${TABLE} WHERE event_id = $1`, [event.eventId]);
        return { started: new Date(now), appended: new Date(row.created_at) };
      });
      expect(appended.getTime() - started.getTime()).toBeGreaterThanOrEqual(190);
    });
  });

  describe('lag', () => {
    it('counts the unpublished rows and the age of the oldest of them', async () => {
      const r = relay();
      expect(await r.lag()).toEqual({ waiting: 0, oldestWaitingAgeMs: null });

      const [published, oldest, newer] = await append([
        memberAdmittedEvent(),
        memberAdmittedEvent(),
        memberAdmittedEvent(),
      ]);
      await setTimes(published.eventId, 'created_at', 10);
      await setTimes(published.eventId, 'published_at', 9);
      await setTimes(oldest.eventId, 'created_at', 2);
      await setTimes(newer.eventId, 'created_at', 1);

      const lag = await r.lag();
      expect(lag.waiting).toBe(2);
      expect(lag.oldestWaitingAgeMs).toBeGreaterThanOrEqual(2 * HOUR);
      expect(lag.oldestWaitingAgeMs).toBeLessThan(2 * HOUR + 60_000);
    });
  });

  describe('deletePublished', () => {
    it('deletes the rows published before the cutoff, in batches, and never an unpublished one', async () => {
      const events = await append(Array.from({ length: 7 }, () => memberAdmittedEvent()));
      // 0-3: published 3 h ago; 4: published 30 min ago; 5: unpublished, created 10 h ago; 6: unpublished
      for (const e of events.slice(0, 4)) await setTimes(e.eventId, 'published_at', 3);
      await setTimes(events[4].eventId, 'published_at', 0.5);
      await setTimes(events[5].eventId, 'created_at', 10);

      const cutoff = new Date(Date.now() - HOUR);
      // A batch of 2 deletes the four in two full batches and one empty one: all four, counted.
      expect(await relay().deletePublished(cutoff, 2)).toBe(4);
      expect((await rows()).map((row) => row.eventId)).toEqual(events.slice(4).map((e) => e.eventId));

      expect(await relay().deletePublished(new Date(Date.now() + HOUR))).toBe(1);
      expect((await rows()).map((row) => row.eventId)).toEqual(events.slice(5).map((e) => e.eventId));
    });

    it('keeps a row published exactly at the cutoff, and stops after a batch that was not full', async () => {
      const [at, before, earlier] = await append([memberAdmittedEvent(), memberAdmittedEvent(), memberAdmittedEvent()]);
      const [{ cutoff }] = await db.query(`SELECT now() - interval '1 hour' AS cutoff`);
      await db.query(`UPDATE ${TABLE} SET published_at = $2 WHERE event_id = $1`, [at.eventId, cutoff]);
      await setTimes(before.eventId, 'published_at', 2);
      await setTimes(earlier.eventId, 'published_at', 3);

      expect(await relay().deletePublished(cutoff, 3)).toBe(2);
      expect((await rows()).map((row) => row.eventId)).toEqual([at.eventId]);
    });
  });

  describe('the loop', () => {
    it('publishes full batches back to back, then waits for the next poll', async () => {
      await append(Array.from({ length: 5 }, () => memberAdmittedEvent()));
      const r = relay({ batchSize: 2, pollIntervalMs: 60_000 });
      r.start();
      await eventually(async () => expect((await r.lag()).waiting).toBe(0), 5_000, 50);
      expect(producer.sent.map((batch) => batch.length)).toEqual([2, 2, 1]);

      await append([memberAdmittedEvent()]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await r.lag()).waiting).toBe(1); // asleep until the poll interval has passed
    });

    it('polls again after pollIntervalMs', async () => {
      const r = relay({ pollIntervalMs: 100 });
      r.start();
      await eventually(() => expect(producer.sent).toEqual([]), 1_000, 50);
      const [event] = await append([memberAdmittedEvent()]);
      await eventually(() => expect(producer.eventIds).toEqual([event.eventId]), 5_000, 50);
    });

    it('a poll with nothing waiting is one statement, no transaction; rows waiting are published by the next poll', async () => {
      const transactions = jest.spyOn(db, 'transaction');
      const r = relay({ pollIntervalMs: 50 });
      r.start();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(transactions).not.toHaveBeenCalled();

      const [event] = await append([memberAdmittedEvent()]); // committed elsewhere: nobody wakes this relay
      transactions.mockClear();
      await eventually(() => expect(producer.eventIds).toEqual([event.eventId]), 5_000, 20);
      expect(transactions).toHaveBeenCalled();
    });

    it('woken while another instance holds the lock, it looks again soon rather than at the next poll', async () => {
      const r = relay({ pollIntervalMs: 60_000 });
      r.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const runner = db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${SCHEMA}.outbox_messages:relay`]);
      const [event] = await append([memberAdmittedEvent()]);
      r.wake();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(producer.sent).toEqual([]);
      await runner.rollbackTransaction();
      await runner.release();
      await eventually(() => expect(producer.eventIds).toEqual([event.eventId]), 2_000, 20);
    });

    it('wake() cuts the wait short; stop() ends it at once and publishes no more', async () => {
      const r = relay({ pollIntervalMs: 60_000 });
      r.start();
      r.start(); // a second start is the same loop
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [first] = await append([memberAdmittedEvent()]);
      r.wake();
      await eventually(() => expect(producer.eventIds).toEqual([first.eventId]), 5_000, 50);

      const stopping = Date.now();
      await r.stop();
      expect(Date.now() - stopping).toBeLessThan(5_000);
      await append([memberAdmittedEvent()]);
      r.wake();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(producer.eventIds).toEqual([first.eventId]);

      r.start(); // and it starts again after a stop
      await eventually(() => expect(producer.sent).toHaveLength(2), 5_000, 50);
    });

    it('backs off after failures (0.5 s, doubling, at most 5 s), says why it is failing, and recovers', async () => {
      const [event] = await append([memberAdmittedEvent()]);
      producer.failures = 7;
      const r = relay({ pollIntervalMs: 60_000 });
      expect(r.failing).toBeNull();
      r.start();
      for (let failure = 1; failure <= 7; failure++) {
        await eventually(() => expect(logger.error).toHaveBeenCalledTimes(failure), 5_000, 20);
        expect(r.failing).toBe('broker unavailable');
        r.wake(); // rather than wait out the backoff
      }
      await eventually(() => expect(producer.eventIds).toEqual([event.eventId]), 5_000, 20);
      await eventually(() => expect(r.failing).toBeNull(), 5_000, 20);

      expect(logger.error.mock.calls.map(([fields]) => (fields as { retryInMs: number }).retryInMs)).toEqual([
        500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000,
      ]);
      expect(logger.error).toHaveBeenCalledWith(
        { component: 'outbox-relay', err: producer.failWith, retryInMs: 1_000 },
        'outbox relay failed',
      );
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.info).toHaveBeenCalledWith({ component: 'outbox-relay' }, 'outbox relay recovered');

      // a later failure starts the backoff from the beginning, and says what was thrown
      producer.failures = 1;
      producer.failWith = 'not an Error';
      await append([memberAdmittedEvent()]);
      r.wake();
      await eventually(() => expect(logger.error).toHaveBeenCalledTimes(8), 5_000, 20);
      expect(r.failing).toBe('not an Error');
      expect((logger.error.mock.calls[7][0] as { retryInMs: number }).retryInMs).toBe(500);
    });
  });
});
