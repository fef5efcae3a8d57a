import { APPLICATION_TRANSITIONS } from './applications/applications.service';
import { MEMBER_TRANSITIONS } from './members/members.service';

/**
 * The lifecycle rules, written out by hand: the lifecycle integration specs derive their cases
 * from these tables, so a change to a table would pass them; this spec is what says the tables
 * are right (see services/membership/README.md for the lifecycle).
 */
describe('membership: which step follows from which status', () => {
  it('applications: review a submitted one; admit, reject or withdraw an open one', () => {
    expect(APPLICATION_TRANSITIONS).toStrictEqual({
      review: { from: ['submitted'], to: 'under_review' },
      admit: { from: ['submitted', 'under_review'], to: 'admitted' },
      reject: { from: ['submitted', 'under_review'], to: 'rejected' },
      withdraw: { from: ['submitted', 'under_review'], to: 'withdrawn' },
    });
  });

  it('members: suspend an active one, reinstate a suspended one, end either', () => {
    expect(MEMBER_TRANSITIONS).toStrictEqual({
      suspend: { from: ['active'], to: 'suspended' },
      reinstate: { from: ['suspended'], to: 'active' },
      end: { from: ['active', 'suspended'], to: 'ended' },
    });
  });
});
