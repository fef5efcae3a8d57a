import { carriesPersonalFields, createEvent, takePersonalFields, TypedEvent } from '@valley/contracts';
import {
  appendToOutbox,
  newDataKey,
  personalDataMasterKey,
  sealPersonalParts,
  UnwrappedDataKeys,
  wrapDataKey,
} from '@valley/messaging';
import { EntityManager } from 'typeorm';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { OrganisationKey } from './organisation-key.entity';

/**
 * Membership's way into the outbox: every event's personal fields (contact, description,
 * statement) sealed with its organisation's key, the key made (and announced on the keys topic,
 * ahead of the events) the first time an organisation needs one. Commits with the change.
 */

let masterKey: Uint8Array | undefined;

/**
 * The master key the organisations' keys are wrapped with: the app sets it from its configuration
 * at start; commands (seed, import, demo) that run without the app read PERSONAL_DATA_KEY.
 */
export function usePersonalDataMasterKey(key: Uint8Array): void {
  masterKey = key;
}

function currentMasterKey(): Uint8Array {
  masterKey ??= personalDataMasterKey(process.env.PERSONAL_DATA_KEY || undefined);
  return masterKey;
}

export async function appendSealedToOutbox(manager: EntityManager, events: TypedEvent[]): Promise<void> {
  const organisations = [...new Set(events.filter(carriesPersonalFields).map((e) => e.aggregateId))];
  if (organisations.length === 0) return appendToOutbox(manager, events);
  const { keys, issued } = await keysOf(manager, organisations, events[0]);
  const sealed: TypedEvent[] = [];
  for (const event of events) {
    const { event: bare, personal } = takePersonalFields(event);
    if (!personal) {
      sealed.push(event);
      continue;
    }
    const key = keys.get(event.aggregateId)!;
    const payload = { ...bare.payload, personal: await sealPersonalParts(personal, key, event.aggregateId) };
    sealed.push({ ...bare, payload } as TypedEvent);
  }
  await appendToOutbox(manager, [...issued, ...sealed]);
}

/** The organisations' data keys, made where missing; and the events that announce the new ones. */
async function keysOf(
  manager: EntityManager,
  organisations: string[],
  cause: TypedEvent,
): Promise<{ keys: Map<string, Uint8Array>; issued: TypedEvent[] }> {
  const master = currentMasterKey();
  const repository = manager.getRepository(OrganisationKey);
  const table = repository.metadata.tablePath;
  const rows = await repository
    .createQueryBuilder('k')
    .where('k.organisation_id = ANY(:ids)', { ids: organisations })
    .getMany();
  const wrapped = new Map(rows.map((row) => [row.organisationId, row.wrappedKey]));
  const issued: TypedEvent[] = [];
  for (const organisationId of organisations) {
    if (wrapped.has(organisationId)) continue;
    const candidate = await wrapDataKey(newDataKey(), master, organisationId);
    // Another transaction may make it at the same time: the first to commit wins, the other reads it.
    const made: unknown[] = await manager.query(
      `INSERT INTO ${table} (organisation_id, wrapped_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING organisation_id`,
      [organisationId, candidate],
    );
    if (made.length > 0) {
      wrapped.set(organisationId, candidate);
      issued.push(
        createEvent({
          type: 'PersonalDataKeyIssued',
          producer: 'membership',
          aggregateId: organisationId,
          correlationId: cause.correlationId,
          causationId: cause.causationId,
          payload: { organisationId, wrappedKey: candidate, issuedAt: new Date().toISOString() },
        }),
      );
    } else {
      wrapped.set(organisationId, (await repository.findOneByOrFail({ organisationId })).wrappedKey);
    }
  }
  const keys = new Map<string, Uint8Array>();
  for (const [organisationId, key] of wrapped) {
    if (key === null) {
      throw new MembershipException(
        MembershipErrorCode.PERSONAL_DATA_ERASED,
        `the personal data of organisation ${organisationId} was erased: nothing of it can be recorded any more`,
      );
    }
    keys.set(organisationId, await unwrapped.unwrap(organisationId, key, master));
  }
  return { keys, issued };
}

/** Data keys unwrapped before (each transaction still reads their rows: a shredded key is seen there). */
const unwrapped = new UnwrappedDataKeys();

/** Forgets the unwrapped key of an organisation whose key is shredded (it leaves this process's memory). */
export function forgetUnwrappedKey(organisationId: string): void {
  unwrapped.forget(organisationId);
}
