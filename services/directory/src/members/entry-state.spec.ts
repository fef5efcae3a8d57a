import { admitted, ended, profileUpdated, reinstated, suspended } from '../testing/member-events.factory';
import { applyEvent, EntryState, isListed } from './entry-state';

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
