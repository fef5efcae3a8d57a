import { createEvent, Topics } from '@valley/contracts';
import { memberAdmittedEvent } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity';
import { appendToOutbox } from './outbox-writer';

/** A manager that records what would be inserted into which entity's table. */
function recordingManager() {
  const inserts: { entity: unknown; rows: unknown }[] = [];
  const manager = {
    getRepository: (entity: unknown) => ({
      insert: async (rows: unknown) => void inserts.push({ entity, rows }),
    }),
  } as unknown as EntityManager;
  return { manager, inserts };
}

describe('appendToOutbox', () => {
  it('inserts one outbox row per event, in order: its id, type, topic, key and the whole envelope', async () => {
    const { manager, inserts } = recordingManager();
    const admitted = memberAdmittedEvent();
    const deliveryId = randomUUID();
    const sent = createEvent({
      type: 'NotificationSent',
      producer: 'notifications',
      aggregateId: deliveryId,
      payload: {
        deliveryId,
        causeEventId: admitted.eventId,
        causeEventType: 'MemberAdmitted',
        template: 'welcome',
        language: 'lt',
        recipientKind: 'member',
        attempts: 1,
        sentAt: new Date().toISOString(),
      },
    });

    await appendToOutbox(manager, [admitted, sent]);
    const stamped = inserts[0].rows as { createdAt: () => string }[];

    expect(inserts).toHaveLength(1);
    expect(inserts[0].entity).toBe(OutboxMessage);
    expect(inserts[0].rows).toStrictEqual([
      {
        eventId: admitted.eventId,
        eventType: 'MemberAdmitted',
        topic: Topics.MembershipLifecycle,
        messageKey: admitted.aggregateId,
        envelope: admitted,
        // Nothing traced here (no SDK): no trace context to keep.
        traceparent: null,
        tracestate: null,
        // The database's clock at the append (raw SQL; outbox-relay.int-spec checks the moment).
        createdAt: expect.any(Function),
      },
      {
        eventId: sent.eventId,
        eventType: 'NotificationSent',
        topic: Topics.NotificationDeliveries,
        messageKey: deliveryId,
        envelope: sent,
        // Nothing traced here (no SDK): no trace context to keep.
        traceparent: null,
        tracestate: null,
        // The database's clock at the append (raw SQL; outbox-relay.int-spec checks the moment).
        createdAt: expect.any(Function),
      },
    ]);
    expect(stamped.map((row) => row.createdAt())).toEqual(['clock_timestamp()', 'clock_timestamp()']);
  });

  it('writes nothing for no events (an INSERT of no rows is an error in TypeORM)', async () => {
    const { manager, inserts } = recordingManager();
    await appendToOutbox(manager, []);
    expect(inserts).toEqual([]);
  });
});
