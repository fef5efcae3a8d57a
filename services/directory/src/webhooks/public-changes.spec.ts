import { TypedEvent } from '@valley/contracts';
import { admitted, ended, profileUpdated, suspended } from '@valley/testing';
import { applyEvent, EntryState } from '../projection/entry-state';
import { publicChangeOf } from './public-changes';

/** Applies the event to the state, as the projection does, and asks what a partner hears of it. */
function change(before: EntryState | null, event: TypedEvent) {
  const after = applyEvent(before, event)!;
  return { after, news: publicChangeOf({ event, before, after }) };
}

describe('publicChangeOf: what a partner hears of an entry’s change', () => {
  const joining = admitted({
    consent: { publicListing: true, announcements: false, publicContact: false },
    visibility: { statement: 'members' },
    statement: 'Tik nariams.',
  });
  const id = joining.payload.memberId;

  it('a member listed for the first time joined, with its public profile only', () => {
    const { news } = change(null, joining);
    expect(news).toMatchObject({ type: 'member.joined', memberId: id, data: { id, contact: null, statement: null } });
  });

  it('a change of what the public sees is a change; one only members or nobody see is none', () => {
    const { after: listed } = change(null, joining);
    expect(change(listed, profileUpdated(id, { statement: 'Kitas, vis dar nariams.' })).news).toBeNull();
    const { news } = change(listed, profileUpdated(id, { description: 'Nauja veikla.' }));
    expect(news).toMatchObject({ type: 'member.changed', data: { description: 'Nauja veikla.' } });
  });

  it('leaving the public directory (ended, suspended, consent withdrawn) is leaving, with the id only', () => {
    const { after: listed } = change(null, joining);
    for (const event of [
      ended(id),
      suspended(id),
      profileUpdated(id, { consent: { publicListing: false, announcements: false, publicContact: false } }),
    ]) {
      expect(change(listed, event).news).toEqual({ type: 'member.left', memberId: id, data: { id } });
    }
  });

  it('a member never listed is no news, whatever happens to it', () => {
    const unlisted = admitted({ consent: { publicListing: false, announcements: false, publicContact: false } });
    const { after, news } = change(null, unlisted);
    expect(news).toBeNull();
    expect(change(after, ended(unlisted.payload.memberId)).news).toBeNull();
  });
});
