import published from '../../schemas/published.json';

/**
 * The JSON Schema of every schemaVersion of every event ever published, and of the envelope, as
 * `npm run contracts` wrote them from the contracts. Consumers validate an older event against its
 * own version's schema before upcasting it; the compatibility gate compares each contract with the
 * schema of its version here.
 */
export interface PublishedSchemas {
  envelope: object;
  events: Record<string, Record<string, object>>;
}

export const Published: PublishedSchemas = published;
