import { apiDiff, Diff } from 'api-smart-diff';
import { isDeepStrictEqual } from 'node:util';
import { createEventDecoder, ContractRegistry } from '../typed-event';
import { asJson, exampleEnvelope } from './schema-json';

/**
 * The compatibility gate: may the contracts as they are now be published beside the history?
 * Used by `npm run contracts` (which publishes) and by published-schemas.spec.ts (which fails
 * `npm test` when the committed schemas and the contracts disagree).
 */

export type Direction = 'old events to new consumers' | 'new events to old consumers';

export interface BreakingChange {
  direction: Direction;
  /** Where in the schema, e.g. properties.reason. */
  path: string;
  change: string;
}

/**
 * What in `after` old data or old readers of `before` cannot take. Both directions: `after` must
 * accept every payload `before` accepted (events already stored), and `before` must accept every
 * payload `after` allows (consumers not yet deployed). A removed field breaks too, even an
 * optional one: its readers no longer get it.
 */
export function breakingChanges(before: object, after: object): BreakingChange[] {
  const found: BreakingChange[] = [];
  const describe = (diff: Diff): string =>
    diff.description ?? `${diff.action} ${JSON.stringify(diff.before ?? null)} → ${JSON.stringify(diff.after ?? null)}`;
  for (const diff of apiDiff(before, after)) {
    const path = diff.path.join('.');
    if (diff.type === 'breaking')
      found.push({ direction: 'old events to new consumers', path, change: describe(diff) });
    else if (diff.action === 'remove' && diff.path.at(-2) === 'properties')
      found.push({
        direction: 'new events to old consumers',
        path,
        change: `field ${String(diff.path.at(-1))} removed`,
      });
  }
  for (const diff of apiDiff(after, before)) {
    if (diff.type === 'breaking')
      found.push({ direction: 'new events to old consumers', path: diff.path.join('.'), change: describe(diff) });
  }
  return found;
}

/** The schemas `npm run contracts` would publish: the envelope's, and each event's current version. */
export function currentSchemas(registry: ContractRegistry & { envelope: object }): {
  envelope: object;
  events: Record<string, Record<string, object>>;
} {
  const events: Record<string, Record<string, object>> = {};
  for (const [type, contract] of Object.entries(registry.contracts)) {
    events[type] = { ...registry.published.events[type], [contract.schemaVersion]: asJson(contract.payload) };
  }
  return { envelope: asJson(registry.envelope), events };
}

/**
 * Everything wrong between the contracts and what was published, each as a sentence that says
 * what to do; empty when the gate passes.
 */
export function compatibilityProblems(registry: ContractRegistry & { envelope: object }): string[] {
  const problems: string[] = [];
  const { published } = registry;
  const explain = (changes: BreakingChange[]) =>
    changes.map((c) => `${c.path}: ${c.change} (${c.direction})`).join('; ');

  const envelope = asJson(registry.envelope);
  if (Object.keys(published.envelope).length === 0) {
    problems.push('the envelope is not published: run `npm run contracts`');
  } else if (!isDeepStrictEqual(published.envelope, envelope)) {
    const changes = breakingChanges(published.envelope, envelope);
    problems.push(
      changes.length > 0
        ? `the envelope changed in a way old events or old consumers cannot take: ${explain(changes)}`
        : 'the envelope changed: run `npm run contracts` to publish its schema',
    );
  }

  for (const [type, contract] of Object.entries(registry.contracts)) {
    const versions = published.events[type] ?? {};
    const current = contract.schemaVersion;
    const schema = asJson(contract.payload);
    const stored = versions[current];
    if (!stored) {
      const previous = versions[current - 1];
      problems.push(
        previous || current === 1
          ? `${type} schemaVersion ${current} is not published: run \`npm run contracts\``
          : `${type} jumps to schemaVersion ${current}: versions go up one at a time`,
      );
    } else if (!isDeepStrictEqual(stored, schema)) {
      const changes = breakingChanges(stored, schema);
      problems.push(
        changes.length > 0
          ? `${type} schemaVersion ${current} changed in a way old events or old consumers cannot take: ` +
              `${explain(changes)}. Make it schemaVersion ${current + 1} with an upcaster from ${current} (upcasters.ts)`
          : `${type} schemaVersion ${current} changed compatibly: run \`npm run contracts\` to publish it`,
      );
    }
    for (const version of Object.keys(versions).map(Number)) {
      if (version > current)
        problems.push(`${type} schemaVersion ${version} is published but the contract is at ${current}`);
      else if (version < current && !registry.upcasters[type]?.[version])
        problems.push(`${type} has no upcaster from schemaVersion ${version} to ${version + 1} (upcasters.ts)`);
    }
  }
  return problems.concat(replayProblems(registry));
}

/**
 * Older events replayed: every example payload of every older published version (the schemas'
 * `examples`) must decode, through the upcasters, into a valid current payload.
 */
export function replayProblems(registry: ContractRegistry): string[] {
  const decoder = createEventDecoder(registry);
  const problems: string[] = [];
  for (const [type, contract] of Object.entries(registry.contracts)) {
    for (const [version, schema] of Object.entries(registry.published.events[type] ?? {})) {
      if (Number(version) >= contract.schemaVersion) continue;
      const examples = (schema as { examples?: unknown[] }).examples ?? [];
      if (examples.length === 0) problems.push(`${type} schemaVersion ${version} has no examples to replay`);
      for (const payload of examples) {
        const result = decoder.decodeParsedEvent(exampleEnvelope(type, Number(version), payload));
        if (!result.ok)
          problems.push(
            `replaying ${type} schemaVersion ${version}: ${'reason' in result ? result.reason : 'unknown type'}`,
          );
      }
    }
  }
  return problems;
}
