import { createEvent, takePersonalFields, TypedEvent } from '@valley/contracts';
import { lifecycleEvents } from '@valley/testing';
import { DataSource } from 'typeorm';
import { InfrastructureError } from '../failures/failure-kind';
import { newDataKey, personalDataMasterKey, sealPersonalParts, wrapDataKey } from './personal-data-crypto';
import { PersonalDataKey } from './personal-data-key.entity';
import { PersonalDataKeyring } from './personal-data-keyring';
import { createPersonalDataKeysTableV1 } from './personal-data-keys.migration';

const SCHEMA = 'personal_data_keyring_int_test';
const master = personalDataMasterKey(undefined);

/** A consumer's keyring against the real Postgres: keys recorded from their events, events opened with them. */
describe('PersonalDataKeyring (real Postgres)', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await new DataSource({
      type: 'postgres',
      url: process.env.VALLEY_TEST_DATABASE_URL,
      schema: SCHEMA,
      entities: [PersonalDataKey],
    }).initialize();
    await db.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await db.query(`CREATE SCHEMA "${SCHEMA}"`);
    const runner = db.createQueryRunner();
    await createPersonalDataKeysTableV1(runner, SCHEMA);
    await runner.release();
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await db.destroy();
  });

  /** An admission as membership publishes it: its personal fields sealed, and the event that brings its key. */
  async function sealedAdmission(): Promise<{ sealed: TypedEvent; clear: TypedEvent; issued: TypedEvent }> {
    const clear = lifecycleEvents.memberAdmitted(lifecycleEvents.testContact('Keyring'));
    const organisationId = clear.aggregateId;
    const key = newDataKey();
    const { event: bare, personal } = takePersonalFields(clear);
    const sealed = {
      ...bare,
      payload: { ...bare.payload, personal: await sealPersonalParts(personal!, key, organisationId) },
    } as TypedEvent;
    const issued = createEvent({
      type: 'PersonalDataKeyIssued',
      producer: 'membership',
      aggregateId: organisationId,
      payload: {
        organisationId,
        wrappedKey: await wrapDataKey(key, master, organisationId),
        issuedAt: clear.occurredAt,
      },
    });
    return { sealed, clear, issued };
  }

  it('opens a sealed event whose key arrives while it waits, as soon as it is recorded', async () => {
    const keyring = new PersonalDataKeyring(db, master, 2_000);
    const { sealed, clear, issued } = await sealedAdmission();
    const started = Date.now();
    const opening = keyring.open([sealed]);
    setTimeout(() => void keyring.record([issued]), 100);
    const [opened] = await opening;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(opened.payload).toEqual({ ...clear.payload, personal: (sealed.payload as { personal: string }).personal });
  });

  it('gives a batch whose key does not come back as the infrastructure’s to wait out, not as the event’s', async () => {
    const keyring = new PersonalDataKeyring(db, master, 100);
    const { sealed } = await sealedAdmission();
    await expect(keyring.open([sealed])).rejects.toBeInstanceOf(InfrastructureError);
  });

  it('reads an organisation whose key was shredded without its personal fields, whatever arrives after', async () => {
    const keyring = new PersonalDataKeyring(db, master);
    const { sealed, clear, issued } = await sealedAdmission();
    const organisationId = sealed.aggregateId;
    const shredded = createEvent({
      type: 'PersonalDataKeyShredded',
      producer: 'membership',
      aggregateId: organisationId,
      payload: { organisationId, shreddedAt: new Date().toISOString() },
    });
    await keyring.record([issued, shredded, issued]); // a redelivered issue does not bring it back
    const [fromSealed, fromClear] = await keyring.open([sealed, clear]);
    for (const event of [fromSealed, fromClear]) {
      expect(event.payload).not.toHaveProperty('contact');
      expect(event.payload).not.toHaveProperty('description');
      expect(event.payload).not.toHaveProperty('personal');
      expect((event.payload as { legalName: string }).legalName).toBe(
        (clear.payload as { legalName: string }).legalName,
      );
    }
  });

  it('opens nothing more once another instance recorded the shredding, though it had the key unwrapped', async () => {
    const keyring = new PersonalDataKeyring(db, master);
    const otherInstance = new PersonalDataKeyring(db, master);
    const { sealed, clear, issued } = await sealedAdmission();
    const organisationId = sealed.aggregateId;
    await keyring.record([issued]);
    const [opened] = await keyring.open([sealed]);
    expect((opened.payload as { contact: unknown }).contact).toEqual((clear.payload as { contact: unknown }).contact);
    await otherInstance.record([
      createEvent({
        type: 'PersonalDataKeyShredded',
        producer: 'membership',
        aggregateId: organisationId,
        payload: { organisationId, shreddedAt: new Date().toISOString() },
      }),
    ]);
    const [again] = await keyring.open([sealed]);
    expect(again.payload).not.toHaveProperty('contact');
    expect(again.payload).not.toHaveProperty('personal');
  });
});
