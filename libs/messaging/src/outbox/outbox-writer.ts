import { EventContracts, TypedEvent } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { injectTraceContext } from '../tracing/trace-context';
import { OutboxMessage } from './outbox-message.entity';

/**
 * Records events in the outbox inside the caller's transaction, so that a state change and
 * the events announcing it commit (or roll back) together.
 *
 * Order per aggregate: rows are published in id order. A use case must lock its aggregate
 * (SELECT ... FOR UPDATE, or insert it) before appending, so that two changes of one
 * aggregate get their outbox ids in commit order.
 */
export async function appendToOutbox(manager: EntityManager, events: TypedEvent[]): Promise<void> {
  if (events.length === 0) return;
  // The request (or event) being handled: the relay makes it the parent of the publish.
  const { traceparent = null, tracestate = null } = injectTraceContext();
  await manager.getRepository(OutboxMessage).insert(
    events.map((event) => ({
      eventId: event.eventId,
      eventType: event.type,
      topic: EventContracts[event.type].topic,
      messageKey: event.aggregateId,
      envelope: event,
      traceparent,
      tracestate,
      // The moment of the append, not the transaction's start (now()): a use case appends its
      // events last, just before it commits, so a row's age when published is its commit → published.
      createdAt: () => 'clock_timestamp()',
    })),
  );
}
