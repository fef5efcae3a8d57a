import { createEvent, TypedEvent } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { OrganisationKey } from './organisation-key.entity';
import { forgetUnwrappedKey } from './sealed-outbox';

/**
 * Destroys an organisation's key (an organisation from before sealing gets a shredded row, so
 * nothing is ever sealed for it again) and returns the event that tells the keys topic, whose
 * compaction then drops the key there too.
 */
export async function shredOrganisationKey(
  manager: EntityManager,
  organisationId: string,
  at: Date,
  cause: TypedEvent,
): Promise<TypedEvent<'PersonalDataKeyShredded'>> {
  const table = manager.getRepository(OrganisationKey).metadata.tablePath;
  await manager.query(
    `INSERT INTO ${table} (organisation_id, wrapped_key, shredded_at) VALUES ($1, NULL, $2)
     ON CONFLICT (organisation_id) DO UPDATE SET wrapped_key = NULL, shredded_at = excluded.shredded_at`,
    [organisationId, at],
  );
  forgetUnwrappedKey(organisationId);
  return createEvent({
    type: 'PersonalDataKeyShredded',
    producer: 'membership',
    aggregateId: organisationId,
    occurredAt: at,
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    payload: { organisationId, shreddedAt: at.toISOString() },
  });
}
