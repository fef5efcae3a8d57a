import { admitted, ended, profileUpdated, reinstated, suspended } from '@valley/testing';
import { applyEvent, chosenVisibility, EntryState, isListed } from './entry-state';

const fold = (events: Parameters<typeof applyEvent>[1][], start: EntryState | null = null) =>
  events.reduce<EntryState | null>((state, event) => applyEvent(state, event), start);

describe('applyEvent', () => {
  it('admission creates a listed entry when the member consents', () => {
    const a = admitted({ legalName: 'BaltLed UAB' });
    const state = fold([a])!;
    expect(state).toMatchObject({ memberId: a.payload.memberId, legalName: 'BaltLed UAB', status: 'active' });
    expect(isListed(state)).toBe(true);
    expect(isListed(fold([admitted({ consent: { publicListing: false, announcements: true } })])!)).toBe(false);
  });

  it('applies only the changed profile fields, including cleared ones and consent', () => {
    const a = admitted({ website: 'https://a.example', description: 'Old' });
    const id = a.payload.memberId;
    const state = fold([
      a,
      profileUpdated(id, { description: 'New', website: null }),
      profileUpdated(id, { consent: { publicListing: true, announcements: false, publicContact: true } }),
    ])!;
    expect(state).toMatchObject({ description: 'New', website: null, legalName: a.payload.legalName });
    expect(state.contactConsent).toBe(true);
  });

  it('suspension, reinstatement and end change listing; an ended member stays ended', () => {
    const a = admitted();
    const id = a.payload.memberId;
    expect(isListed(fold([a, suspended(id)])!)).toBe(false);
    expect(isListed(fold([a, suspended(id), reinstated(id)])!)).toBe(true);
    const gone = fold([a, ended(id), reinstated(id)])!;
    expect(gone.status).toBe('ended');
    expect(gone.contactEmail).toBeNull();
  });

  it('an event older than the entry changes nothing', () => {
    const a = admitted();
    const id = a.payload.memberId;
    const late = suspended(id, new Date(Date.parse(a.occurredAt) - 1));
    const state = fold([a]);
    expect(applyEvent(state, late)).toBe(state);
  });

  it('events about a member never admitted change nothing', () => {
    expect(applyEvent(null, suspended('7b0c5a36-2b9c-4a1f-9a43-1d3bb7f0a001'))).toBeNull();
  });
});

describe('applyEvent, field by field', () => {
  it('admission: every field of the entry, optional ones defaulted, arrays copied', () => {
    const at = new Date('2026-02-03T10:00:00.000Z');
    const a = admitted(
      {
        legalName: 'Proftools UAB',
        membershipType: 'founding',
        admittedOn: '2020-04-27',
        sectorCodes: ['C25.7'],
        focusAreas: ['cooperation'],
        website: undefined,
        description: undefined,
        statement: undefined,
        logoUrl: undefined,
        contact: { name: 'Jonas', email: 'jonas@proftools.example', language: 'lt' },
        consent: { publicListing: false, announcements: true },
      },
      at,
    );
    const state = applyEvent(null, a)!;
    expect(state).toStrictEqual({
      memberId: a.payload.memberId,
      status: 'active',
      listingConsent: false,
      contactConsent: false,
      legalName: 'Proftools UAB',
      country: 'LT',
      region: 'Kauno apskritis',
      organisationType: 'business',
      sizeClass: 'medium',
      sectorCodes: ['C25.7'],
      focusAreas: ['cooperation'],
      website: null,
      description: null,
      statement: null,
      logoUrl: null,
      contactName: 'Jonas',
      contactEmail: 'jonas@proftools.example',
      contactPhone: null,
      membershipType: 'founding',
      memberSince: '2020-04-27',
      visibility: {},
      lastEventAt: at,
    });
    expect(state.sectorCodes).not.toBe(a.payload.sectorCodes);
    expect(state.focusAreas).not.toBe(a.payload.focusAreas);

    const full = applyEvent(
      null,
      admitted({
        website: 'https://p.example',
        description: 'Tools.',
        statement: 'Partners wanted.',
        logoUrl: 'https://p.example/logo.png',
        contact: { name: 'Ona', email: 'ona@p.example', phone: '+37060000001', language: 'en' },
        consent: { publicListing: true, announcements: false, publicContact: true },
      }),
    )!;
    expect(full).toMatchObject({
      listingConsent: true,
      contactConsent: true,
      website: 'https://p.example',
      description: 'Tools.',
      statement: 'Partners wanted.',
      logoUrl: 'https://p.example/logo.png',
      contactPhone: '+37060000001',
    });
  });

  it('listed only when active and consenting', () => {
    const a = admitted();
    const id = a.payload.memberId;
    const active = fold([a])!;
    expect(isListed({ ...active, listingConsent: false })).toBe(false);
    expect(isListed(fold([a, suspended(id)])!)).toBe(false);
    expect(isListed(fold([a, ended(id)])!)).toBe(false);
  });

  it('a profile change sets each changed plain field, copies arrays, and keeps what it does not name', () => {
    const a = admitted({
      website: 'https://a.example',
      description: 'Old',
      statement: 'S',
      logoUrl: 'https://a/l.png',
    });
    const id = a.payload.memberId;
    const sectorCodes = ['J62.01', 'C26'];
    const change = profileUpdated(id, {
      legalName: 'Naujas Vardas UAB',
      country: 'LV',
      region: 'Rīga',
      organisationType: 'association',
      sizeClass: 'large',
      sectorCodes,
      focusAreas: ['common_marketing'],
      website: 'https://b.example',
      description: 'New',
      statement: 'T',
      logoUrl: 'https://b/l.png',
    });
    const before = fold([a])!;
    const state = applyEvent(before, change)!;
    expect(state).toStrictEqual({
      ...before,
      legalName: 'Naujas Vardas UAB',
      country: 'LV',
      region: 'Rīga',
      organisationType: 'association',
      sizeClass: 'large',
      sectorCodes: ['J62.01', 'C26'],
      focusAreas: ['common_marketing'],
      website: 'https://b.example',
      description: 'New',
      statement: 'T',
      logoUrl: 'https://b/l.png',
      lastEventAt: new Date(change.occurredAt),
    });
    expect(state.sectorCodes).not.toBe(sectorCodes);
    expect(before.legalName).toBe(a.payload.legalName); // the old state is left as it was
  });

  it('clears a nullable field with null; ignores null for a required one, and fields it does not know', () => {
    const a = admitted({ website: 'https://a.example', description: 'D', statement: 'S', logoUrl: 'https://a/l.png' });
    const id = a.payload.memberId;
    const before = fold([a])!;
    const cleared = applyEvent(
      before,
      profileUpdated(id, { website: null, description: null, statement: null, logoUrl: null }),
    )!;
    expect(cleared).toMatchObject({ website: null, description: null, statement: null, logoUrl: null });
    const kept = applyEvent(before, {
      ...profileUpdated(id, {}),
      payload: {
        memberId: id,
        version: 2,
        changedFields: ['legalName', 'region', 'sectorCodes', 'colour', 'consent', 'contact'],
        changes: { legalName: null, region: undefined } as never,
      },
    } as never)!;
    const { lastEventAt: _, ...unchanged } = before;
    expect(kept).toMatchObject(unchanged);
  });

  it('applies a contact and a consent changed in one event, in either order', () => {
    const a = admitted({ consent: { publicListing: true, announcements: false, publicContact: false } });
    const id = a.payload.memberId;
    const before = fold([a])!;
    for (const changedFields of [
      ['contact', 'consent'],
      ['consent', 'contact'],
    ]) {
      const state = applyEvent(before, {
        ...profileUpdated(id, {}),
        payload: {
          memberId: id,
          version: 2,
          changedFields,
          changes: {
            contact: { name: 'Rasa', email: 'rasa@c.example', language: 'lt' },
            consent: { publicListing: true, announcements: true, publicContact: true },
          },
        },
      } as never)!;
      expect(state).toMatchObject({ contactName: 'Rasa', contactEmail: 'rasa@c.example', contactConsent: true });
    }
  });

  it('applies only the fields it is told changed', () => {
    const a = admitted();
    const id = a.payload.memberId;
    const before = fold([a])!;
    const state = applyEvent(before, {
      ...profileUpdated(id, {}),
      payload: { memberId: id, version: 2, changedFields: ['region'], changes: { region: 'Vilniaus', legalName: 'X' } },
    } as never)!;
    expect(state.region).toBe('Vilniaus');
    expect(state.legalName).toBe(before.legalName);

    // a contact change that carries the consent too, without naming it: only the contact changes
    const contactOnly = applyEvent(before, {
      ...profileUpdated(id, {}),
      payload: {
        memberId: id,
        version: 3,
        changedFields: ['contact'],
        changes: {
          contact: { name: 'Rasa', email: 'rasa@b.example', language: 'lt' },
          consent: { publicListing: false, announcements: false, publicContact: true },
        },
      },
    } as never)!;
    expect(contactOnly).toMatchObject({ contactName: 'Rasa', listingConsent: before.listingConsent });
    expect(contactOnly.contactConsent).toBe(before.contactConsent);
  });

  it('consent and contact changes', () => {
    const a = admitted({
      contact: { name: 'Ona', email: 'ona@a.example', phone: '+37060000002', language: 'lt' },
      consent: { publicListing: true, announcements: true, publicContact: true },
    });
    const id = a.payload.memberId;
    const state = fold([
      a,
      profileUpdated(id, { consent: { publicListing: false, announcements: true } }),
      profileUpdated(id, { contact: { name: 'Rasa', email: 'rasa@a.example', language: 'en' } }),
    ])!;
    expect(state).toMatchObject({
      listingConsent: false,
      contactConsent: false,
      contactName: 'Rasa',
      contactEmail: 'rasa@a.example',
      contactPhone: null,
    });
    const phoned = applyEvent(
      state,
      profileUpdated(id, { contact: { name: 'Rasa', email: 'rasa@a.example', phone: '+37060000003', language: 'en' } }),
    )!;
    expect(phoned.contactPhone).toBe('+37060000003');
  });

  it('status changes keep the profile and move lastEventAt; an ended member stays ended, without contact', () => {
    const a = admitted({ contact: { name: 'Ona', email: 'ona@a.example', phone: '+37060000002', language: 'lt' } });
    const id = a.payload.memberId;
    const active = fold([a])!;
    const s = suspended(id);
    const suspendedState = applyEvent(active, s)!;
    expect(suspendedState).toStrictEqual({ ...active, status: 'suspended', lastEventAt: new Date(s.occurredAt) });
    const r = reinstated(id);
    expect(applyEvent(suspendedState, r)).toStrictEqual({ ...active, lastEventAt: new Date(r.occurredAt) });

    const e = ended(id);
    const endedState = applyEvent(suspendedState, e)!;
    expect(endedState).toStrictEqual({
      ...active,
      status: 'ended',
      contactName: null,
      contactEmail: null,
      contactPhone: null,
      lastEventAt: new Date(e.occurredAt),
    });
    expect(applyEvent(endedState, suspended(id))!.status).toBe('ended');
    expect(applyEvent(endedState, reinstated(id))!.status).toBe('ended');
  });

  it('an event at the same instant as the entry is applied; only older ones are not', () => {
    const a = admitted();
    const id = a.payload.memberId;
    const same = suspended(id, new Date(a.occurredAt));
    expect(applyEvent(fold([a]), same)!.status).toBe('suspended');
  });

  it('changes nothing for events about no entry, and for other types', () => {
    const id = '7b0c5a36-2b9c-4a1f-9a43-1d3bb7f0a002';
    for (const event of [profileUpdated(id, { region: 'Vilniaus' }), reinstated(id), ended(id)]) {
      expect(applyEvent(null, event)).toBeNull();
    }
    const state = fold([admitted()]);
    const other = { ...suspended(id), type: 'ApplicationSubmitted' } as never;
    expect(applyEvent(state, other)).toBe(state);
  });
});

describe('applyEvent, visibility', () => {
  it('an admission without a visibility keeps the defaults ({}); with one, its choices', () => {
    expect(fold([admitted()])!.visibility).toEqual({});
    const a = admitted({ visibility: { description: 'members', contactEmail: 'hidden' } });
    expect(fold([a])!.visibility).toStrictEqual({ contactEmail: 'hidden', description: 'members' });
  });

  it('a changed visibility replaces the whole choice; a change without it keeps the choice', () => {
    const a = admitted({ visibility: { description: 'members', website: 'hidden' } });
    const id = a.payload.memberId;
    const renamed = fold([a, profileUpdated(id, { legalName: 'Kitas UAB' })])!;
    expect(renamed.visibility).toEqual({ description: 'members', website: 'hidden' });
    const changed = fold([a, profileUpdated(id, { visibility: { statement: 'hidden' } })])!;
    expect(changed.visibility).toEqual({ statement: 'hidden' });
    // named in changedFields but absent from changes: nothing to apply
    const empty = profileUpdated(id, {});
    const nameless = { ...empty, payload: { ...empty.payload, changedFields: ['visibility'] } } as typeof empty;
    expect(fold([a, nameless])!.visibility).toEqual({ description: 'members', website: 'hidden' });
  });

  it('keeps the choice through consent withdrawn and given again, suspension and end', () => {
    const a = admitted({
      consent: { publicListing: true, announcements: false, publicContact: true },
      visibility: { contactPhone: 'members' },
    });
    const id = a.payload.memberId;
    const state = fold([
      a,
      profileUpdated(id, { consent: { publicListing: true, announcements: false, publicContact: false } }),
      profileUpdated(id, { consent: { publicListing: true, announcements: false, publicContact: true } }),
      suspended(id),
      reinstated(id),
    ])!;
    expect(state).toMatchObject({ contactConsent: true, visibility: { contactPhone: 'members' } });
    expect(fold([a, ended(id)])!.visibility).toEqual({ contactPhone: 'members' });
  });

  it('an older visibility change changes nothing', () => {
    const a = admitted();
    const id = a.payload.memberId;
    const newer = profileUpdated(id, { visibility: { logo: 'members' } }, 3);
    const older = profileUpdated(id, { visibility: { logo: 'hidden' } }, 2, new Date(Date.parse(newer.occurredAt) - 1));
    expect(fold([a, newer, older])!.visibility).toEqual({ logo: 'members' });
  });

  it('chosenVisibility keeps known fields with known values, in one order', () => {
    expect(chosenVisibility(undefined)).toEqual({});
    expect(chosenVisibility(null)).toEqual({});
    const odd = { logo: 'public', colour: 'members', website: 'everyone', statement: undefined } as never;
    expect(chosenVisibility(odd)).toStrictEqual({ logo: 'public' });
    expect(Object.keys(chosenVisibility({ logo: 'hidden', contactName: 'members', website: 'public' }))).toEqual([
      'contactName',
      'website',
      'logo',
    ]);
  });
});
