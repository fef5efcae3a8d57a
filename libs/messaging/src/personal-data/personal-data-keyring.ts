import { carriesPersonalFields, restorePersonalFields, sealedPersonalOf, TypedEvent } from '@valley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { InfrastructureError } from '../failures/failure-kind';
import { openPersonalParts, unwrapDataKey } from './personal-data-crypto';
import { PersonalDataKey } from './personal-data-key.entity';

/**
 * A consuming service's side of crypto-shredding: it keeps the keys the keys topic brings
 * (`record`), and opens the sealed personal fields of the events it handles (`open`).
 */
export class PersonalDataKeyring {
  constructor(
    private readonly dataSource: DataSource,
    private readonly masterKey: Uint8Array,
  ) {}

  /**
   * Applies PersonalDataKeyIssued and PersonalDataKeyShredded; idempotent (a redelivered issue
   * leaves a key, or its shredding, as it is), and a shredding is final.
   */
  async record(events: TypedEvent[]): Promise<void> {
    const table = this.dataSource.getRepository(PersonalDataKey).metadata.tablePath;
    await this.dataSource.transaction(async (manager) => {
      for (const event of events) {
        if (event.type === 'PersonalDataKeyIssued') {
          await manager.query(
            `INSERT INTO ${table} (organisation_id, wrapped_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [event.payload.organisationId, event.payload.wrappedKey],
          );
        } else if (event.type === 'PersonalDataKeyShredded') {
          await manager.query(
            `INSERT INTO ${table} (organisation_id, wrapped_key, shredded_at) VALUES ($1, NULL, $2)
             ON CONFLICT (organisation_id) DO UPDATE SET wrapped_key = NULL, shredded_at = excluded.shredded_at`,
            [event.payload.organisationId, event.payload.shreddedAt],
          );
        }
      }
    });
  }

  /**
   * The events as handlers read them: sealed personal fields opened; an erased organisation's
   * events without any. A sealed event whose key has not arrived yet (the keys topic is read by its
   * own consumer) is waited for like the infrastructure: it comes.
   */
  async open<E extends TypedEvent>(events: E[], manager?: EntityManager): Promise<E[]> {
    const organisations = [...new Set(events.filter(carriesPersonalFields).map((e) => e.aggregateId))];
    if (organisations.length === 0) return events;
    const rows = await (manager ?? this.dataSource.manager)
      .getRepository(PersonalDataKey)
      .createQueryBuilder('k')
      .where('k.organisation_id = ANY(:ids)', { ids: organisations })
      .getMany();
    const keys = new Map(rows.map((row) => [row.organisationId, row]));
    const unwrapped = new Map<string, Uint8Array>();
    const opened: E[] = [];
    for (const event of events) {
      if (!carriesPersonalFields(event)) {
        opened.push(event);
        continue;
      }
      const organisationId = event.aggregateId;
      const row = keys.get(organisationId);
      const sealed = sealedPersonalOf(event);
      if (row && !row.wrappedKey) {
        opened.push(restorePersonalFields(event, null));
      } else if (sealed === undefined) {
        opened.push(event);
      } else if (!row) {
        throw new InfrastructureError(
          `the personal-data key of organisation ${organisationId} has not arrived yet (keys topic); waiting for it`,
        );
      } else {
        let dataKey = unwrapped.get(organisationId);
        if (!dataKey) {
          dataKey = await unwrapDataKey(row.wrappedKey!, this.masterKey, organisationId).catch((error: Error) => {
            // Says nothing about the event: a master key other than membership's. Wait for the fix.
            throw new InfrastructureError(
              `cannot unwrap the personal-data key of ${organisationId} (${error.message}): ` +
                'is PERSONAL_DATA_KEY the one membership has?',
            );
          });
          unwrapped.set(organisationId, dataKey);
        }
        opened.push(restorePersonalFields(event, await openPersonalParts(sealed, dataKey, organisationId)));
      }
    }
    return opened;
  }
}
