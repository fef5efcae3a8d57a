import { carriesPersonalFields, restorePersonalFields, sealedPersonalOf, TypedEvent } from '@valley/contracts';
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';
import { InfrastructureError } from '../failures/failure-kind';
import { openPersonalParts } from './personal-data-crypto';
import { PersonalDataKey } from './personal-data-key.entity';
import { UnwrappedDataKeys } from './unwrapped-data-keys';

/**
 * A consuming service's side of crypto-shredding: it keeps the keys the keys topic brings
 * (`record`), and opens the sealed personal fields of the events it handles (`open`).
 */
export class PersonalDataKeyring {
  /** Told whenever this process recorded keys: a batch waiting for one looks again at once. */
  private readonly recorded = new EventEmitter().setMaxListeners(0);
  /** Data keys unwrapped before (each batch still reads their rows: a shredded key is seen there). */
  private readonly unwrapped = new UnwrappedDataKeys();

  constructor(
    private readonly dataSource: DataSource,
    private readonly masterKey: Uint8Array,
    /**
     * How long `open` waits for a key that has not arrived before it gives the batch back to be
     * waited out. A key is published with the first event it opens and usually follows within
     * milliseconds (it travels on its own topic, read by its own consumer, maybe in another instance).
     */
    private readonly keyWaitMs = 2_000,
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
    // A shredded key leaves this process's memory too (another instance's shredding: see open).
    for (const event of events)
      if (event.type === 'PersonalDataKeyShredded') this.unwrapped.forget(event.payload.organisationId);
    this.recorded.emit('keys');
  }

  /**
   * The events as handlers read them: sealed personal fields opened; an erased organisation's
   * events without any. A sealed event whose key has not arrived yet (the keys topic is read by its
   * own consumer) is waited for: here for up to `keyWaitMs` (well within the consumer's session
   * timeout), then like the infrastructure. It comes.
   */
  async open<E extends TypedEvent>(events: E[], manager?: EntityManager): Promise<E[]> {
    const organisations = [...new Set(events.filter(carriesPersonalFields).map((e) => e.aggregateId))];
    if (organisations.length === 0) return events;
    const sealedFor = new Set(events.filter((e) => sealedPersonalOf(e) !== undefined).map((e) => e.aggregateId));
    const keys = await this.keysOf(organisations, manager);
    // Keys not here yet: look again as soon as this process records keys, or every 25 ms.
    const waitUntil = Date.now() + this.keyWaitMs;
    let missing = [...sealedFor].filter((id) => !keys.has(id));
    while (missing.length > 0 && Date.now() < waitUntil) {
      await this.nextRecordedOr(25);
      for (const [id, row] of await this.keysOf(missing, manager)) keys.set(id, row);
      missing = missing.filter((id) => !keys.has(id));
    }
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
        this.unwrapped.forget(organisationId);
        opened.push(restorePersonalFields(event, null));
      } else if (sealed === undefined) {
        opened.push(event);
      } else if (!row) {
        throw new InfrastructureError(
          `the personal-data key of organisation ${organisationId} has not arrived yet (keys topic); waiting for it`,
        );
      } else {
        const dataKey = await this.unwrapped
          .unwrap(organisationId, row.wrappedKey!, this.masterKey)
          .catch((error: Error) => {
            // Says nothing about the event: a master key other than membership's. Wait for the fix.
            throw new InfrastructureError(
              `cannot unwrap the personal-data key of ${organisationId} (${error.message}): ` +
                'is PERSONAL_DATA_KEY the one membership has?',
            );
          });
        opened.push(restorePersonalFields(event, await openPersonalParts(sealed, dataKey, organisationId)));
      }
    }
    return opened;
  }

  private async keysOf(organisations: string[], manager?: EntityManager): Promise<Map<string, PersonalDataKey>> {
    const rows = await (manager ?? this.dataSource.manager)
      .getRepository(PersonalDataKey)
      .createQueryBuilder('k')
      .where('k.organisation_id = ANY(:ids)', { ids: organisations })
      .getMany();
    return new Map(rows.map((row) => [row.organisationId, row]));
  }

  private nextRecordedOr(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.recorded.off('keys', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.recorded.once('keys', done);
    });
  }
}
