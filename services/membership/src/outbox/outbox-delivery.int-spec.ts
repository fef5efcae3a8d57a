import { decodeEvent, Topics } from '@valley/contracts';
import { OutboxCleanup, OutboxMessage } from '@valley/messaging';
import { coordinatorToken, scrapeMetrics } from '@valley/platform/testing';
import { eventually, KafkaTestClient, uniqueTopicPrefix } from '@valley/testing';
import { MembershipHarness, ownMembershipDatabase, startMembership } from '../../test/membership-test-kit';

/**
 * The outbox at the service level, against the real Postgres and Kafka: what a use case commits is
 * published, in order per organisation, exactly once while nothing crashes; what rolls back is not;
 * a relay that was stopped delivers what waited once it is back; two instances publish through one relay
 * at a time; published rows are cleaned up after their retention.
 */
describe('membership: the outbox delivers every committed event, in order per organisation', () => {
  const prefix = uniqueTopicPrefix();
  const brokers = () => process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',');
  let a: MembershipHarness;
  let b: MembershipHarness;
  let kafka: KafkaTestClient;
  const auth = { Authorization: `Bearer ${coordinatorToken()}` };

  beforeAll(async () => {
    // A database of its own: every membership app under test relays the rows of the outbox table it
    // shares, so with other suites running in parallel their relays would publish these rows to their
    // topics, and a trigger below would touch their transactions.
    const env = { DATABASE_URL: await ownMembershipDatabase('outbox') };
    // Two instances of the service on one database and one Kafka, as when it is scaled out.
    [a, b] = await Promise.all([startMembership(prefix, env), startMembership(prefix, env)]);
    kafka = new KafkaTestClient(brokers(), prefix);
  });

  afterAll(async () => {
    await Promise.all([a?.app.close(), b?.app.close()]);
    await kafka?.close();
  });

  const drained = () => eventually(async () => expect((await a.relay.lag()).waiting).toBe(0), 60_000);

  const published = async () =>
    (await kafka.readAll(Topics.MembershipLifecycle, 500)).map((message) => ({
      key: message.key,
      partition: message.partition,
      offset: Number(message.offset),
      event: JSON.parse(message.value!) as { eventId: string; type: string; payload: Record<string, unknown> },
    }));

  it('keeps the order per member across 1,000 events for 50 members, published once, by two instances', async () => {
    const members: string[] = [];
    for (let i = 0; i < 50; i++) members.push(await (i % 2 ? a : b).admitted({ legalName: `Eilės Narys ${i} UAB` }));

    // 18 profile changes per member, each from the version the previous one produced, spread over both
    // instances; the 50 members' chains run concurrently, so their events interleave in the outbox.
    await Promise.all(
      members.map(async (id, i) => {
        for (let version = 1; version <= 18; version++) {
          const instance = (i + version) % 2 ? a : b;
          await instance.http
            .patch(`/members/${id}`)
            .set(auth)
            .set('If-Match', `"${version}"`)
            .send({ statement: `statement ${version + 1}` })
            .expect(200);
        }
      }),
    );
    await drained();

    const messages = (await published()).filter((m) => members.includes(m.key!));
    expect(messages).toHaveLength(1_000);
    expect(new Set(messages.map((m) => m.event.eventId)).size).toBe(1_000);
    for (const message of messages) expect(decodeEvent(JSON.stringify(message.event))).toMatchObject({ ok: true });
    for (const id of members) {
      const own = messages.filter((m) => m.key === id).sort((x, y) => x.offset - y.offset);
      expect(new Set(own.map((m) => m.partition)).size).toBe(1);
      expect(own.map((m) => m.event.type)).toEqual([
        'ApplicationSubmitted',
        'MemberAdmitted',
        ...Array(18).fill('MemberProfileUpdated'),
      ]);
      expect(own.slice(2).map((m) => m.event.payload.version)).toEqual(Array.from({ length: 18 }, (_, v) => v + 2));
    }
    // and in the same order as the outbox rows were committed
    const rows = await a.db
      .getRepository(OutboxMessage)
      .find({ where: { topic: Topics.MembershipLifecycle }, order: { id: 'ASC' } });
    for (const id of members.slice(0, 5)) {
      const committed = rows.filter((r) => r.messageKey === id).map((r) => r.eventId);
      const delivered = messages
        .filter((m) => m.key === id)
        .sort((x, y) => x.offset - y.offset)
        .map((m) => m.event.eventId);
      expect(delivered).toEqual(committed);
    }
  }, 180_000);

  it('a relay stopped between commit and publish delivers what waited when it is back; /health and /metrics show the lag', async () => {
    await Promise.all([a.relay.stop(), b.relay.stop()]);
    try {
      const app = await a.applied();
      await a.decide(app.id, 'review').expect(201);
      await a.decide(app.id, 'reject', { reason: 'not a manufacturer' }).expect(201);
      const waiting = await a.db
        .getRepository(OutboxMessage)
        .find({ where: { messageKey: app.organisationId, topic: Topics.MembershipLifecycle }, order: { id: 'ASC' } });
      expect(waiting.map((r) => r.publishedAt)).toEqual([null, null]);

      const health = await a.http.get('/health').expect(200);
      expect(health.body.details.outbox).toMatchObject({
        status: 'up',
        waiting: 4, // the two lifecycle events, the access event of the submission and its key
        oldestWaitingAgeMs: expect.any(Number),
      });
      const metrics = await scrapeMetrics(a.app);
      expect(metrics.contentType).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/^valley_outbox_waiting_rows 4$/m);
      expect(metrics.text).toMatch(/^valley_outbox_oldest_waiting_age_seconds \d+(\.\d+)?$/m);
      expect((await published()).filter((m) => m.key === app.organisationId)).toEqual([]);

      a.relay.start();
      await drained();
      const delivered = (await published()).filter((m) => m.key === app.organisationId);
      expect(delivered.map((m) => m.event.eventId)).toEqual(waiting.map((r) => r.eventId));
      expect(delivered.map((m) => m.event.type)).toEqual(['ApplicationSubmitted', 'ApplicationRejected']);
      expect((await scrapeMetrics(a.app)).text).toMatch(/^valley_outbox_waiting_rows 0$/m);
    } finally {
      a.relay.start();
      b.relay.start();
    }
  });

  it('a change whose commit fails publishes nothing and leaves no trace', async () => {
    const app = await a.applied();
    await drained();
    // Make the commit itself fail, after the status, history and outbox rows were written.
    await a.db.query(`
      CREATE FUNCTION membership.fail_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$;
      CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON membership.outbox_messages
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.event_type = 'ApplicationRejected') EXECUTE FUNCTION membership.fail_commit();`);
    try {
      const before = await a.snapshot();
      await a.decide(app.id, 'reject', { reason: 'this decision never commits' }).expect(500);
      expect(await a.snapshot()).toEqual(before);
    } finally {
      await a.db.query(
        `DROP TRIGGER fail_commit ON membership.outbox_messages; DROP FUNCTION membership.fail_commit();`,
      );
    }
    await a.decide(app.id, 'reject', { reason: 'this one does' }).expect(201);
    await drained();
    const delivered = (await published()).filter((m) => m.key === app.organisationId);
    expect(delivered.map((m) => [m.event.type, m.event.payload.reason])).toEqual([
      ['ApplicationSubmitted', undefined],
      ['ApplicationRejected', 'this one does'],
    ]);
  });

  // Refusing the commit at either of admit's writes: the member row (an event appended outside its
  // transaction would still go out) or the MemberAdmitted outbox row (a member committed before its
  // event is appended would stay without one).
  it.each([
    ['the member row', `membership.members`, 'true'],
    ['the MemberAdmitted outbox row', `membership.outbox_messages`, `NEW.event_type = 'MemberAdmitted'`],
  ])(
    'an admission whose commit fails (refused at %s) publishes nothing and creates no member',
    async (_, table, when) => {
      const app = await a.applied();
      await drained();
      await a.db.query(`
      CREATE FUNCTION membership.fail_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$;
      CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (${when}) EXECUTE FUNCTION membership.fail_commit();`);
      try {
        const before = await a.snapshot();
        await a.decide(app.id, 'admit', { note: 'this admission never commits' }).expect(500);
        expect(await a.snapshot()).toEqual(before);
        expect(before.members.find((m) => m.id === app.organisationId)).toBeUndefined();
      } finally {
        await a.db.query(`DROP TRIGGER fail_commit ON ${table}; DROP FUNCTION membership.fail_commit();`);
      }
      await drained();
      const types = async () =>
        (await published()).filter((m) => m.key === app.organisationId).map((m) => m.event.type);
      expect(await types()).toEqual(['ApplicationSubmitted']);

      const admitted = await a.decide(app.id, 'admit').expect(201);
      expect(admitted.body.memberId).toBe(app.organisationId);
      await drained();
      expect(await types()).toEqual(['ApplicationSubmitted', 'MemberAdmitted']);
    },
  );

  it('cleans up published rows past their retention, never unpublished ones', async () => {
    await drained();
    const repo = a.db.getRepository(OutboxMessage);
    const [old, recent] = await repo.find({ order: { id: 'ASC' }, take: 2 });
    await repo.update({ id: old.id }, { publishedAt: new Date(Date.now() - 169 * 3_600_000) });
    await a.relay.stop();
    await b.relay.stop();
    try {
      const app = await a.applied(); // unpublished while the relays are stopped
      const waiting = await repo.findOneByOrFail({ messageKey: app.organisationId });
      await a.db.query(
        `UPDATE membership.outbox_messages SET created_at = now() - interval '300 hours' WHERE id = $1`,
        [waiting.id],
      );

      const deleted = await a.app.get(OutboxCleanup).run();

      expect(deleted).toBeGreaterThanOrEqual(1);
      expect(await repo.existsBy({ id: old.id })).toBe(false);
      expect(await repo.existsBy({ id: recent.id })).toBe(true);
      expect(await repo.findOneByOrFail({ id: waiting.id })).toMatchObject({ publishedAt: null });
    } finally {
      a.relay.start();
      b.relay.start();
    }
  });
});
