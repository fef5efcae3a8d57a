import { restorePersonalFields, sealedFormOf, takePersonalFields, TypedEvent } from '@valley/contracts';
import { lifecycleEvents } from '@valley/testing';
import {
  newDataKey,
  openPersonalParts,
  personalDataMasterKey,
  sealPersonalParts,
  unwrapDataKey,
  wrapDataKey,
} from './personal-data-crypto';

const { memberAdmitted, memberProfileUpdated, testContact } = lifecycleEvents;

const master = personalDataMasterKey(Buffer.alloc(32, 7).toString('base64'));

describe('crypto-shredding: keys and sealed personal fields', () => {
  it('wraps a data key with the master key, and only that master key and organisation unwrap it', async () => {
    const key = newDataKey();
    const wrapped = await wrapDataKey(key, master, 'org-1');
    expect(await unwrapDataKey(wrapped, master, 'org-1')).toEqual(key);
    await expect(unwrapDataKey(wrapped, personalDataMasterKey(undefined), 'org-1')).rejects.toThrow();
    await expect(unwrapDataKey(wrapped, master, 'org-2')).rejects.toThrow(/not org-2's/);
  });

  it("seals an event's contact, description and statement out of its payload, and opens them back", async () => {
    const contact = testContact('Sealed');
    const event = memberAdmitted(contact);
    const { event: bare, personal } = takePersonalFields(event);
    expect(personal).toEqual({ contact, description: 'Machine tools.', statement: expect.any(String) });
    expect(JSON.stringify(bare)).not.toContain(contact.email);
    expect(JSON.stringify(bare)).not.toContain(contact.name);

    const key = newDataKey();
    const sealed = await sealPersonalParts(personal!, key, event.aggregateId);
    expect(sealed).not.toContain(contact.email);
    const travelled = { ...bare, payload: { ...bare.payload, personal: sealed } } as TypedEvent;
    const opened = restorePersonalFields(travelled, await openPersonalParts(sealed, key, event.aggregateId));
    expect(opened).toEqual({ ...event, payload: { ...event.payload, personal: sealed } });
    // What a consumer stores of it (to dead-letter it later) is what travelled.
    expect(sealedFormOf(opened)).toEqual(travelled);
    expect(sealedFormOf(event)).toBe(event);
  });

  it("refuses a sealed part moved to another organisation's event, and one opened with another key", async () => {
    const key = newDataKey();
    const sealed = await sealPersonalParts({ contact: testContact('A') }, key, 'org-a');
    await expect(openPersonalParts(sealed, key, 'org-b')).rejects.toThrow(/not org-b's/);
    await expect(openPersonalParts(sealed, newDataKey(), 'org-a')).rejects.toThrow();
  });

  it("reads an erased organisation's event without any personal field, sealed or in the clear", () => {
    const clear = memberAdmitted(testContact('Clear'));
    const erased = restorePersonalFields(clear, null);
    expect(erased.payload).not.toHaveProperty('contact');
    expect(erased.payload).not.toHaveProperty('description');
    expect(erased.payload).not.toHaveProperty('statement');
    expect(erased.payload.legalName).toBe(clear.payload.legalName);

    const update = memberProfileUpdated(clear.aggregateId, 2, { contact: testContact('New'), website: null });
    const { event: bare, personal } = takePersonalFields(update);
    expect(Object.keys(personal!)).toEqual(['contact']);
    expect((bare.payload as { changes: object }).changes).toEqual({ website: null });
    expect(restorePersonalFields(update, null).payload.changes).toEqual({ website: null });
  });

  it('takes a PERSONAL_DATA_KEY of 32 bytes only', () => {
    expect(() => personalDataMasterKey(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
