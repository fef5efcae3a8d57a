import { Type } from '@sinclair/typebox';
import { Instant, RequiredText, Uuid } from './schema/schema-types';

/**
 * The one envelope every event travels in. Consumers validate it (and the payload against its
 * contract) before they act on it.
 */
export const EventEnvelopeSchema = Type.Object(
  {
    eventId: Uuid(),
    type: Type.String({ pattern: '^[A-Z][A-Za-z]+$', description: 'PascalCase, past tense: MemberAdmitted.' }),
    schemaVersion: Type.Integer({ minimum: 1, description: "The version of the payload's schema." }),
    occurredAt: Instant(),
    aggregateId: Uuid("The organisation's id: the same from its application through its membership."),
    correlationId: Uuid('The request or event chain this event belongs to.'),
    causationId: Type.Optional(Type.Union([Uuid(), Type.Null()], { description: 'The event that caused this one.' })),
    producer: RequiredText(100, 'The service that published the event.'),
    payload: Type.Object({}, { description: "The event's own fields, by its type and schemaVersion." }),
  },
  { title: 'EventEnvelope' },
);

export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  eventId: string;
  type: TType;
  schemaVersion: number;
  occurredAt: string;
  aggregateId: string;
  correlationId: string;
  causationId: string | null;
  producer: string;
  payload: TPayload;
}
