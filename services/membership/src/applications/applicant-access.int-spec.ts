import { Topics } from '@valley/contracts';
import { OutboxMessage } from '@valley/messaging';
import { eventually, KafkaTestClient, uniqueTopicPrefix } from '@valley/testing';
import { MembershipHarness, ownMembershipDatabase, startMembership } from '../../test/membership-test-kit';

/**
 * The applicant's token reaches the acknowledgement email (through notifications) on the
 * short-lived access topic only: never on the lifecycle topic, whose history is kept for ever,
 * and not kept in the outbox once published.
 */
describe('membership: the applicant token travels on the access topic only', () => {
  const prefix = uniqueTopicPrefix();
  let membership: MembershipHarness;
  let kafka: KafkaTestClient;

  beforeAll(async () => {
    membership = await startMembership(prefix, { DATABASE_URL: await ownMembershipDatabase('access') });
    kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  });

  afterAll(async () => {
    await membership?.app.close();
    await kafka?.close();
  });

  it('publishes ApplicantAccessIssued with the token beside ApplicationSubmitted, and keeps no copy', async () => {
    const application = await membership.applied();

    const access = await eventually(async () => {
      const found = (await kafka.readAll(Topics.MembershipAccess, 100)).filter(
        (m) => m.key === application.organisationId,
      );
      expect(found).toHaveLength(1);
      return JSON.parse(found[0].value!);
    });
    expect(access).toMatchObject({
      type: 'ApplicantAccessIssued',
      aggregateId: application.organisationId,
      payload: { applicationId: application.id, applicantToken: application.applicantToken },
    });

    const lifecycle = (await kafka.readAll(Topics.MembershipLifecycle, 100)).filter(
      (m) => m.key === application.organisationId,
    );
    expect(lifecycle.map((m) => JSON.parse(m.value!).type)).toEqual(['ApplicationSubmitted']);
    expect(lifecycle[0].value).not.toContain(application.applicantToken);
    expect(access.causationId).toBe(JSON.parse(lifecycle[0].value!).eventId);

    // Published: the access row keeps what it was, not its payload.
    await eventually(async () => expect((await membership.relay.lag()).waiting).toBe(0));
    const rows = await membership.db
      .getRepository(OutboxMessage)
      .find({ where: { messageKey: application.organisationId }, order: { id: 'ASC' } });
    expect(rows.map((r) => [r.topic, r.eventType])).toEqual([
      [Topics.MembershipKeys, 'PersonalDataKeyIssued'],
      [Topics.MembershipLifecycle, 'ApplicationSubmitted'],
      [Topics.MembershipAccess, 'ApplicantAccessIssued'],
    ]);
    // The wrapped key is a secret too: gone from the row once published.
    expect(rows[0].envelope).toMatchObject({ payload: { erased: 'published to a secret topic' } });
    expect(rows[2].envelope).toMatchObject({ payload: { erased: 'published to a secret topic' } });
    expect(JSON.stringify(rows)).not.toContain(application.applicantToken);
  });

  it('creates the access topic with a retention of a day, the lifecycle topic with none, the keys topic compacted', async () => {
    const retention = await kafka.topicConfig([Topics.MembershipAccess, Topics.MembershipLifecycle], 'retention.ms');

    expect(retention).toEqual({
      [Topics.MembershipAccess]: String(24 * 3600 * 1000),
      [Topics.MembershipLifecycle]: '-1',
    });
    const keys = Topics.MembershipKeys;
    expect(await kafka.topicConfig([keys], 'cleanup.policy')).toEqual({ [keys]: 'compact' });
    expect(await kafka.topicConfig([keys], 'max.compaction.lag.ms')).toEqual({ [keys]: String(24 * 3600 * 1000) });
  });
});
