import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventEnvelopeSchema } from './envelope';
import { EventContracts, EventType, PayloadOf } from './event-map';
import { compileSchema, SchemaValidator } from './schema/schema-validator';
import { Published, PublishedSchemas } from './versions/published-schemas';
import { EventUpcasters, Upcasters } from './versions/upcasters';
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

export type DecodeResult =
  | { ok: true; event: TypedEvent }
  /** Not ours to judge: a type this contracts version does not know (skip it, do not dead-letter). */
  | { ok: false; unknownType: string }
  | { ok: false; reason: string };

/** What a decoder reads events by: the current contracts, every published version, the upcasters. */
export interface ContractRegistry {
  contracts: Readonly<Record<string, { schemaVersion: number; payload: object }>>;
  published: PublishedSchemas;
  upcasters: Upcasters;
}

export interface EventDecoder {
  /**
   * Turns raw bytes from Kafka into a validated event of the current schemaVersion (an older one is
   * upcast), or says exactly what is wrong. Extra fields are tolerated (producers may add optional
   * fields), missing or malformed ones are not.
   */
  decodeEvent(raw: Buffer | string | null): DecodeResult;
  /** The second half of decodeEvent, for a message already parsed (parseEnvelopeJson). */
  decodeParsedEvent(json: Record<string, unknown>): DecodeResult;
}

export function createEventDecoder(registry: ContractRegistry): EventDecoder {
  const envelope = compileSchema(EventEnvelopeSchema);
  const validators = new Map<string, SchemaValidator>();
  const validatorOf = (type: string, version: number): SchemaValidator | undefined => {
    const key = `${type}@${version}`;
    let validator = validators.get(key);
    if (!validator) {
      const current = registry.contracts[type];
      const schema = current.schemaVersion === version ? current.payload : registry.published.events[type]?.[version];
      if (!schema) return undefined;
      validator = compileSchema(schema);
      validators.set(key, validator);
    }
    return validator;
  };

  const decodeParsedEvent = (json: Record<string, unknown>): DecodeResult => {
    if (!envelope.check(json)) return { ok: false, reason: `invalid envelope: ${envelope.explain(json)}` };
    const { type, schemaVersion: version } = json as unknown as EventEnvelope;
    if (!Object.prototype.hasOwnProperty.call(registry.contracts, type)) return { ok: false, unknownType: type };
    const current = registry.contracts[type].schemaVersion;
    const own = version <= current ? validatorOf(type, version) : undefined;
    if (!own) return { ok: false, reason: `unsupported schemaVersion ${version} of ${type}` };
    if (!own.check(json.payload)) {
      const of = version === current ? '' : ` (schemaVersion ${version})`;
      return { ok: false, reason: `invalid ${type} payload${of}: ${own.explain(json.payload)}` };
    }
    if (version === current) return { ok: true, event: json as unknown as TypedEvent };

    let payload = json.payload as Record<string, unknown>;
    for (let step = version; step < current; step++) {
      const upcast = registry.upcasters[type]?.[step];
      if (!upcast) return { ok: false, reason: `no upcaster of ${type} from schemaVersion ${step}` };
      try {
        payload = upcast(payload);
      } catch (error) {
        return {
          ok: false,
          reason: `upcasting ${type} from schemaVersion ${step} failed: ${(error as Error).message}`,
        };
      }
    }
    const latest = validatorOf(type, current)!;
    if (!latest.check(payload)) {
      return {
        ok: false,
        reason: `${type} upcast from schemaVersion ${version} is invalid: ${latest.explain(payload)}`,
      };
    }
    return { ok: true, event: { ...json, schemaVersion: current, payload } as unknown as TypedEvent };
  };

  return {
    decodeParsedEvent,
    decodeEvent: (raw) => {
      const parsed = parseEnvelopeJson(raw);
      return 'json' in parsed ? decodeParsedEvent(parsed.json) : parsed;
    },
  };
}

const decoder = createEventDecoder({ contracts: EventContracts, published: Published, upcasters: EventUpcasters });

/** Decodes by this version of the contracts: see EventDecoder. */
export const decodeEvent: EventDecoder['decodeEvent'] = decoder.decodeEvent;
export const decodeParsedEvent: EventDecoder['decodeParsedEvent'] = decoder.decodeParsedEvent;

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
