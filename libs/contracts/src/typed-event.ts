import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { instantiate, passesValidation } from './compiled-contract';
import { EventEnvelope } from './envelope';
import { EventContracts, EventType, isKnownEventType, PayloadOf } from './event-map';
import { ServiceName } from './topics';

/** An envelope whose payload type follows from its `type`. */
export type TypedEvent<T extends EventType = EventType> = {
  [K in T]: Omit<EventEnvelope<K, PayloadOf<K>>, never>;
}[T];

export interface NewEventInput<T extends EventType> {
  type: T;
  aggregateId: string;
  payload: PayloadOf<T>;
  producer: ServiceName;
  /** The request or event that led to this one; a new correlation starts when absent. */
  correlationId?: string;
  causationId?: string | null;
  occurredAt?: Date;
}

export function createEvent<T extends EventType>(input: NewEventInput<T>): TypedEvent<T> {
  const eventId = randomUUID();
  return {
    eventId,
    type: input.type,
    schemaVersion: EventContracts[input.type].schemaVersion,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    aggregateId: input.aggregateId,
    correlationId: input.correlationId ?? eventId,
    causationId: input.causationId ?? null,
    producer: input.producer,
    payload: input.payload,
  } as TypedEvent<T>;
}

/** Options that only shape the errors: passesValidation (compiled-contract.ts) judges as validateSync does with them. */
const VALIDATION_OPTIONS = { validationError: { target: false, value: false } } as const;

export type DecodeResult =
  | { ok: true; event: TypedEvent }
  /** Not ours to judge: a type this contracts version does not know (skip it, do not dead-letter). */
  | { ok: false; unknownType: string }
  | { ok: false; reason: string };

/**
 * Turns raw bytes from Kafka into a validated event, or says exactly what is wrong.
 * Extra payload fields are tolerated (producers may add optional fields), missing or
 * malformed ones are not.
 */
export function decodeEvent(raw: Buffer | string | null): DecodeResult {
  const parsed = parseEnvelopeJson(raw);
  return 'json' in parsed ? decodeParsedEvent(parsed.json) : parsed;
}

/** First half of decodeEvent: the bytes as a JSON object (cheap), or why they are not one. */
export function parseEnvelopeJson(
  raw: Buffer | string | null,
): { json: Record<string, unknown> } | { ok: false; reason: string } {
  if (raw === null) return { ok: false, reason: 'empty message (tombstone)' };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'envelope is not a JSON object' };
  }
  return { json: json as Record<string, unknown> };
}

/** Second half of decodeEvent: validates a parsed envelope and its payload against the contract. */
export function decodeParsedEvent(json: Record<string, unknown>): DecodeResult {
  try {
    return validateParsedEvent(json);
  } catch (error) {
    // class-transformer and class-validator read extra fields too, and throw on some shapes (a
    // `constructor` key that is no function): a message that can never be read, not a retry.
    return { ok: false, reason: `unreadable event: ${(error as Error).message}` };
  }
}

function validateParsedEvent(json: Record<string, unknown>): DecodeResult {
  // The envelope's fields are all scalars (bar the payload, handled below): a shallow copy onto
  // the class is enough for class-validator and saves a deep transform on every message.
  const envelope = Object.assign(new EventEnvelope(), json);
  // passesValidation and instantiate (compiled-contract.ts) prove the common case quickly; where they
  // do not, class-transformer and class-validator decide, and word the reasons, as always.
  if (!passesValidation(envelope)) {
    const envelopeErrors = validateSync(envelope, VALIDATION_OPTIONS);
    if (envelopeErrors.length > 0) return { ok: false, reason: `invalid envelope: ${describeErrors(envelopeErrors)}` };
  }

  if (!isKnownEventType(envelope.type)) return { ok: false, unknownType: envelope.type };
  const contract = EventContracts[envelope.type];
  if (envelope.schemaVersion !== contract.schemaVersion) {
    return { ok: false, reason: `unsupported schemaVersion ${envelope.schemaVersion} of ${envelope.type}` };
  }
  const payloadClass = contract.payload as new () => object;
  const quick = instantiate(payloadClass, envelope.payload as object);
  if (quick !== undefined && passesValidation(quick)) {
    return { ok: true, event: { ...envelope, payload: quick } as TypedEvent };
  }

  const payload = plainToInstance(payloadClass, envelope.payload);
  const payloadErrors = validateSync(payload, VALIDATION_OPTIONS);
  if (payloadErrors.length > 0) {
    return { ok: false, reason: `invalid ${envelope.type} payload: ${describeErrors(payloadErrors)}` };
  }
  return { ok: true, event: { ...envelope, payload } as TypedEvent };
}

export function describeErrors(errors: ValidationError[], parent = ''): string {
  return errors
    .flatMap((error) => {
      const path = parent ? `${parent}.${error.property}` : error.property;
      const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
      const nested = error.children?.length ? [describeErrors(error.children, path)] : [];
      return [...own, ...nested];
    })
    .join('; ');
}
