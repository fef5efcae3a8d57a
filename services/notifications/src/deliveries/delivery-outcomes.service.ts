import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ContactLanguage,
  createEvent,
  deadLetterTopic,
  EventContracts,
  RecipientKind,
  Topics,
} from '@valley/contracts';
import {
  appendToOutbox,
  DeadLetterPublisher,
  EVENT_PRODUCER,
  injectTraceContext,
  MessageProducer,
  OutboxMessage,
  OutboxRelay,
} from '@valley/messaging';
import { DataSource } from 'typeorm';
import { Delivery } from './delivery.entity';
import { SignInLink } from './sign-in-link.entity';

/** What the sender knows about a claimed delivery, its cause included. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: string;
  recipient: string;
  recipientKind: RecipientKind;
  template: string;
  language: ContactLanguage;
  templateData: Record<string, unknown>;
  attempts: number;
  correlationId: string | null;
  cause: { topic: string; messageKey: string; envelope: string } | null;
  createdAt: Date;
  /** The trace context of the event's handling that planned it: the send is a span of that trace. */
  traceparent?: string | null;
  tracestate?: string | null;
}

/** Topics keep their history: an SMTP answer that quotes an address must not carry it there. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>@"'(),;:]+@[^\s<>@"'(),;:]+/g, '<address>');
}

/** The consumer group named in dead letters of the sender (it is not a Kafka group). */
export const NOTIFICATIONS_SENDER = 'notifications-sender';

export const DeliveryDeadLetterHeaders = {
  deliveryId: 'x-notification-delivery-id',
  template: 'x-notification-template',
  recipientKind: 'x-notification-recipient-kind',
} as const;

/**
 * Records how a delivery ended: the row's status and its outcome event (NotificationSent /
 * NotificationFailed) commit together through the outbox; a final failure also sends the
 * causing event to the dead-letter topic with the reason. No addresses leave this service.
 */
@Injectable()
export class DeliveryOutcomes {
  private readonly deadLetters: DeadLetterPublisher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EVENT_PRODUCER) producer: MessageProducer,
    private readonly relay: OutboxRelay,
  ) {
    this.deadLetters = new DeadLetterPublisher(producer, deadLetterTopic('notifications'), NOTIFICATIONS_SENDER);
  }

  /**
   * The relay accepted the message: the row says `sent` and NotificationSent enters the outbox
   * in one statement (one round trip, one commit: the smallest window there can be between the
   * relay's acceptance and our record of it). Only a row still pending is marked, so two
   * instances racing past an expired lease publish one event. A sign-in link's token goes in that
   * same statement: once the log says `sent`, the database holds the token no more.
   */
  async sent(delivery: ClaimedDelivery, attempts: number, messageId: string): Promise<void> {
    const sentAt = new Date();
    // As appendToOutbox() would: the send being recorded is the parent of the event's publish.
    const trace = injectTraceContext();
    const event = createEvent({
      type: 'NotificationSent',
      aggregateId: delivery.id,
      producer: 'notifications',
      correlationId: delivery.correlationId ?? delivery.eventId,
      causationId: delivery.eventId,
      occurredAt: sentAt,
      payload: { ...this.outcome(delivery, attempts), sentAt: sentAt.toISOString() },
    });
    const deliveries = this.dataSource.getMetadata(Delivery).tablePath;
    const outbox = this.dataSource.getMetadata(OutboxMessage).tablePath;
    const signInLinks = this.dataSource.getMetadata(SignInLink).tablePath;
    // The outbox row is the one appendToOutbox() writes, in the same statement as the update.
    await this.dataSource.query(
      `WITH marked AS (
         UPDATE ${deliveries} SET status = 'sent', attempts = $2, sent_at = $3, message_id = $4, last_error = NULL
         WHERE id = $1 AND status = 'pending'
         RETURNING id),
       erased AS (DELETE FROM ${signInLinks} WHERE delivery_id = $1)
       INSERT INTO ${outbox} (event_id, event_type, topic, message_key, envelope, traceparent, tracestate)
       SELECT $5, $6, $7, $8, $9::jsonb, $10, $11 FROM marked`,
      [
        delivery.id,
        attempts,
        sentAt,
        messageId,
        event.eventId,
        event.type,
        EventContracts[event.type].topic,
        event.aggregateId,
        JSON.stringify(event),
        trace.traceparent ?? null,
        trace.tracestate ?? null,
      ],
    );
    // No relay wake-up per message: the relay polls every 100 ms and publishes in batches.
  }

  /**
   * Failed for good. The dead letter goes first: if the process dies before the commit, the
   * delivery is still pending and is tried again (a duplicate dead letter, never a lost one).
   * A sign-in link's token is deleted in that commit. `deadLetter: false` when the event is not at
   * fault and there is nothing to retry (a sign-in link that expired before it could go out).
   */
  async failed(
    delivery: ClaimedDelivery,
    attempts: number,
    reason: string,
    { deadLetter = true }: { deadLetter?: boolean } = {},
  ): Promise<void> {
    const failedAt = new Date();
    const publicReason = redactAddresses(reason);
    if (deadLetter) await this.publishDeadLetter(delivery, attempts, publicReason);
    const marked = await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(SignInLink).delete({ deliveryId: delivery.id });
      const result = await manager
        .createQueryBuilder()
        .update(Delivery)
        .set({ status: 'failed', attempts, lastError: reason })
        .where('id = :id AND status = :pending', { id: delivery.id, pending: 'pending' })
        .execute();
      if (!result.affected) return false;
      await appendToOutbox(manager, [
        createEvent({
          type: 'NotificationFailed',
          aggregateId: delivery.id,
          producer: 'notifications',
          correlationId: delivery.correlationId ?? delivery.eventId,
          causationId: delivery.eventId,
          occurredAt: failedAt,
          payload: {
            ...this.outcome(delivery, attempts),
            reason: publicReason.slice(0, 2_000),
            failedAt: failedAt.toISOString(),
          },
        }),
      ]);
      return true;
    });
    if (marked) this.relay.wake();
  }

  private async publishDeadLetter(delivery: ClaimedDelivery, attempts: number, publicReason: string): Promise<void> {
    await this.deadLetters.publish([
      {
        message: {
          topic: delivery.cause?.topic ?? Topics.MembershipLifecycle,
          partition: -1,
          offset: '-1',
          key: delivery.cause?.messageKey ?? null,
          value: Buffer.from(delivery.cause?.envelope ?? JSON.stringify({ eventId: delivery.eventId })),
          headers: {
            [DeliveryDeadLetterHeaders.deliveryId]: delivery.id,
            [DeliveryDeadLetterHeaders.template]: delivery.template,
            [DeliveryDeadLetterHeaders.recipientKind]: delivery.recipientKind,
          },
        },
        reason: `email ${delivery.template} (${delivery.recipientKind}) failed: ${publicReason}`,
        attempts,
      },
    ]);
  }

  private outcome(delivery: ClaimedDelivery, attempts: number) {
    return {
      deliveryId: delivery.id,
      causeEventId: delivery.eventId,
      causeEventType: delivery.eventType,
      template: delivery.template,
      language: delivery.language,
      recipientKind: delivery.recipientKind,
      attempts,
    };
  }
}
