import { createEvent, Topics } from '@valley/contracts';
import { randomUUID } from 'node:crypto';
import { NotificationsHarness } from '../../test/notifications-harness';

jest.setTimeout(60_000);

const COORDINATOR = `koordinatorius-${randomUUID().slice(0, 8)}@example.lt`;

/** The directory paused a partner's webhook subscription: the coordinator is told, in the coordinator's language. */
describe('notifications: a paused webhook subscription is told to the coordinator (real Kafka, Postgres, SMTP)', () => {
  const harness = new NotificationsHarness();

  beforeAll(() => harness.start({ COORDINATOR_EMAIL: COORDINATOR, COORDINATOR_LANGUAGE: 'lt' }));
  afterAll(() => harness.stop());

  it('emails the coordinator what is paused, why, and how to resume it; once, however often the event comes', async () => {
    const subscriptionId = randomUUID();
    const paused = createEvent({
      type: 'WebhookSubscriptionPaused',
      producer: 'directory',
      aggregateId: subscriptionId,
      payload: {
        subscriptionId,
        url: 'https://partneris.example.lt/valley',
        description: 'Kauno klasterio portalas',
        failures: 5,
        reason: '5 deliveries in a row failed; the last: 12 tries, the last: answered 503 Service Unavailable',
        pausedAt: '2026-12-02T10:00:00.000Z',
      },
    });
    const message = { key: subscriptionId, value: JSON.stringify(paused) };
    await harness.kafka.produce(Topics.DirectoryWebhooks, [message]);
    const mail = await harness.smtp.waitFor((m) => m.to.includes(COORDINATOR));
    expect(mail.subject).toBe('Partnerio webhook sustabdytas: https://partneris.example.lt/valley');
    expect(mail.text).toContain('2026-12-02 10:00 UTC');
    expect(mail.text).toContain('answered 503');
    expect(mail.text).toContain(`POST /webhooks/${subscriptionId}/resume`);
    expect(mail.text).toContain('Kauno klasterio portalas');

    await harness.kafka.produce(Topics.DirectoryWebhooks, [message]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(harness.smtp.messages.filter((m) => m.to.includes(COORDINATOR))).toHaveLength(1);
  });
});
