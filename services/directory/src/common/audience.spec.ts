import { audienceOf, shownTo } from './audience';

describe('audiences', () => {
  it('anonymous callers are the public; members and coordinators are members', () => {
    expect(audienceOf({ level: 'anonymous' })).toBe('public');
    expect(audienceOf({ level: 'member' })).toBe('members');
    expect(audienceOf({ level: 'coordinator' })).toBe('members');
  });

  it('public fields are shown to all, members fields to members, hidden ones to nobody', () => {
    expect([shownTo('public', 'public'), shownTo('members', 'public'), shownTo('hidden', 'public')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([shownTo('public', 'members'), shownTo('members', 'members'), shownTo('hidden', 'members')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
