import { Type } from '@sinclair/typebox';
import { EventEnvelopeSchema } from '../envelope';
import { EventContracts } from '../event-map';
import { MemberSuspendedV1 } from '../events/member-lifecycle.events';
import { createEventDecoder } from '../typed-event';
import { breakingChanges, compatibilityProblems, currentSchemas } from './compatibility';
import { Published, PublishedSchemas } from './published-schemas';
import { exampleEnvelope } from './schema-json';
import { EventUpcasters, Upcasters } from './upcasters';

/**
 * The compatibility gate: the contracts agree with the schemas published for their versions
 * (libs/contracts/schemas/published.json), and a change that old events or old consumers cannot
 * take only comes as a new schemaVersion with an upcaster.
 */
const real = {
  contracts: EventContracts,
  published: Published,
  upcasters: EventUpcasters,
  envelope: EventEnvelopeSchema,
};

/** The real registry with MemberSuspended's contract replaced, and published as `published`. */
function withMemberSuspended(
  payload: object,
  schemaVersion = 1,
  upcasters: Upcasters = {},
  published: PublishedSchemas = Published,
) {
  return {
    ...real,
    published,
    // The real steps of the other events, and MemberSuspended's as the test has it.
    upcasters: { ...EventUpcasters, ...upcasters },
    contracts: { ...EventContracts, MemberSuspended: { ...EventContracts.MemberSuspended, schemaVersion, payload } },
  };
}

/** MemberSuspended with `reason` renamed to `grounds`: old events have no `grounds`, old consumers need `reason`. */
const renamed = Type.Object(
  {
    memberId: MemberSuspendedV1.properties.memberId,
    grounds: MemberSuspendedV1.properties.reason,
    suspendedAt: MemberSuspendedV1.properties.suspendedAt,
  },
  { title: 'MemberSuspendedV2' },
);
const renameUpcaster: Upcasters = {
  MemberSuspended: { 1: ({ reason, ...rest }) => ({ ...rest, grounds: reason }) },
};

describe('the compatibility gate', () => {
  it('passes: every contract is published as it is, every older version has an upcaster and replays', () => {
    expect(compatibilityProblems(real)).toEqual([]);
  });

  it('every published schema carries examples that its own version accepts (what a replay replays)', () => {
    const decoder = createEventDecoder(real);
    for (const [type, versions] of Object.entries(Published.events)) {
      for (const [version, schema] of Object.entries(versions)) {
        const examples = (schema as { examples?: unknown[] }).examples ?? [];
        expect([type, version, examples.length > 0]).toEqual([type, version, true]);
        for (const payload of examples) {
          expect(decoder.decodeParsedEvent(exampleEnvelope(type, Number(version), payload))).toMatchObject({
            ok: true,
          });
        }
      }
    }
  });

  it('fails on a deliberately breaking change (a field renamed) in the same schemaVersion, naming it', () => {
    const problems = compatibilityProblems(withMemberSuspended(renamed));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^MemberSuspended schemaVersion 1 changed in a way old events or old consumers cannot take: /,
    );
    expect(problems[0]).toContain('properties.grounds');
    expect(problems[0]).toContain('field reason removed (new events to old consumers)');
    expect(problems[0]).toMatch(/Make it schemaVersion 2 with an upcaster from 1/);
  });

  it('passes an additive change (a new optional field), which `npm run contracts` publishes', () => {
    const additive = Type.Object({
      ...MemberSuspendedV1.properties,
      until: Type.Optional(Type.String({ format: 'date' })),
    });
    const registry = withMemberSuspended(additive);
    expect(compatibilityProblems(registry)).toEqual([
      'MemberSuspended schemaVersion 1 changed compatibly: run `npm run contracts` to publish it',
    ]);
    expect(compatibilityProblems({ ...registry, published: currentSchemas(registry) })).toEqual([]);
  });

  it('passes the breaking change as schemaVersion 2 with an upcaster, and replays the old events through it', () => {
    const registry = withMemberSuspended(renamed, 2, renameUpcaster);
    const published = currentSchemas(registry);
    expect(published.events.MemberSuspended).toEqual({ 1: Published.events.MemberSuspended[1], 2: expect.anything() });
    expect(compatibilityProblems({ ...registry, published })).toEqual([]);

    // An event stored before the change reaches a consumer in the new shape.
    const decoder = createEventDecoder({ ...registry, published });
    const old = exampleEnvelope('MemberSuspended', 1, {
      memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
      reason: 'Nesumokėtas metinis mokestis.',
      suspendedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(decoder.decodeParsedEvent(old)).toEqual({
      ok: true,
      event: {
        ...old,
        schemaVersion: 2,
        payload: {
          memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
          grounds: 'Nesumokėtas metinis mokestis.',
          suspendedAt: '2026-03-01T09:00:00.000Z',
        },
      },
    });
    // An old event its own version refuses is refused as that version.
    expect(decoder.decodeParsedEvent({ ...old, payload: { memberId: 'x' } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^invalid MemberSuspended payload \(schemaVersion 1\): reason: is required; .*memberId: must be a UUID$/,
      ),
    });
  });

  it('fails a new schemaVersion without its upcaster, and one whose upcaster does not give the new shape', () => {
    const registry = withMemberSuspended(renamed, 2);
    const published = currentSchemas(registry);
    expect(compatibilityProblems({ ...registry, published })).toContain(
      'MemberSuspended has no upcaster from schemaVersion 1 to 2 (upcasters.ts)',
    );
    const wrong: Upcasters = { ...EventUpcasters, MemberSuspended: { 1: (payload) => payload } };
    const problems = compatibilityProblems({ ...registry, upcasters: wrong, published });
    expect(problems).toEqual([
      expect.stringMatching(
        /^replaying MemberSuspended schemaVersion 1: MemberSuspended upcast from schemaVersion 1 is invalid: grounds: is required/,
      ),
    ]);
  });

  it('fails a version that skips one, and a published version ahead of its contract', () => {
    expect(compatibilityProblems(withMemberSuspended(renamed, 3, renameUpcaster))).toContain(
      'MemberSuspended jumps to schemaVersion 3: versions go up one at a time',
    );
    const ahead = {
      ...Published,
      events: { ...Published.events, MemberSuspended: { ...Published.events.MemberSuspended, 2: renamed } },
    };
    expect(compatibilityProblems({ ...real, published: ahead })).toContain(
      'MemberSuspended schemaVersion 2 is published but the contract is at 1',
    );
  });

  it('fails a breaking change of the envelope, which has no versions', () => {
    const envelope = Type.Object({ ...EventEnvelopeSchema.properties, tenant: Type.String() });
    expect(compatibilityProblems({ ...real, envelope })).toEqual([
      expect.stringMatching(/^the envelope changed in a way old events or old consumers cannot take: .*tenant/),
    ]);
  });
});

describe('breakingChanges, in both directions', () => {
  const base = Type.Object({
    name: Type.String({ maxLength: 100 }),
    kind: Type.Unsafe({ type: 'string', enum: ['a', 'b'] }),
    note: Type.Optional(Type.String()),
  });
  const change = (properties: Record<string, unknown>, required?: string[]) => ({
    ...JSON.parse(JSON.stringify(base)),
    properties: { ...JSON.parse(JSON.stringify(base.properties)), ...properties },
    ...(required ? { required } : {}),
  });
  const directions = (after: object) => [...new Set(breakingChanges(base, after).map((c) => c.direction))].sort();

  it.each([
    [
      'a new required field',
      change({ code: { type: 'string' } }, ['name', 'kind', 'code']),
      ['old events to new consumers'],
    ],
    [
      'a type changed',
      change({ name: { type: 'integer' } }),
      ['new events to old consumers', 'old events to new consumers'],
    ],
    ['an enum value removed', change({ kind: { type: 'string', enum: ['a'] } }), ['old events to new consumers']],
    [
      'an enum value added',
      change({ kind: { type: 'string', enum: ['a', 'b', 'c'] } }),
      ['new events to old consumers'],
    ],
    ['a stricter limit', change({ name: { type: 'string', maxLength: 50 } }), ['old events to new consumers']],
    ['a looser limit', change({ name: { type: 'string', maxLength: 200 } }), ['new events to old consumers']],
  ])('%s breaks', (_, after, expected) => {
    expect(directions(after)).toEqual(expected);
  });

  it('an optional field removed breaks its readers', () => {
    const { note: _note, ...rest } = JSON.parse(JSON.stringify(base.properties));
    expect(breakingChanges(base, { ...JSON.parse(JSON.stringify(base)), properties: rest })).toEqual([
      { direction: 'new events to old consumers', path: 'properties.note', change: 'field note removed' },
    ]);
  });

  it('a new optional field and a new description break nothing', () => {
    expect(breakingChanges(base, change({ extra: { type: 'string' } }))).toEqual([]);
    expect(
      breakingChanges(base, change({ name: { type: 'string', maxLength: 100, description: 'The name.' } })),
    ).toEqual([]);
  });
});
