/** A schema as it is written to JSON (TypeBox marks its schemas with symbols JSON leaves out). */
export function asJson(schema: object): object {
  return JSON.parse(JSON.stringify(schema)) as object;
}

/** An envelope around an example payload, for replays and the AsyncAPI document's examples. */
export function exampleEnvelope(type: string, schemaVersion: number, payload: unknown): Record<string, unknown> {
  return {
    eventId: '00000000-0000-4000-8000-000000000001',
    type,
    schemaVersion,
    occurredAt: '2026-01-05T08:00:00.000Z',
    aggregateId: '00000000-0000-4000-8000-000000000002',
    correlationId: '00000000-0000-4000-8000-000000000001',
    causationId: null,
    producer: 'membership',
    payload,
  };
}
