import { OutboxMessage } from '@valley/messaging';
import { uniqueTopicPrefix } from '@valley/testing';
import { In } from 'typeorm';
import { Application } from '../applications/application.entity';
import { HistoryEntry } from '../history/history-entry.entity';
import { Member } from '../members/member.entity';
import { MembershipHarness, startMembership } from '../../test/membership-test-kit';
import { DEMO_APPLICANTS, demoRegistrationCode, MLEZ } from './demo-data';
import { loadDemo } from './demo';
import { FOUNDING_MEMBERS } from './founding-members';
import { seedFoundingMembers } from './seed-founding-members';

describe('membership: the founding members seed and the demo', () => {
  let m: MembershipHarness;

  beforeAll(async () => {
    m = await startMembership(uniqueTopicPrefix());
  });

  afterAll(async () => m?.app.close());

  /** The founders' rows and events (other suites may write other rows meanwhile). */
  const foundersState = async () => {
    const ids = FOUNDING_MEMBERS.map((f) => f.id);
    return {
      members: await m.db.getRepository(Member).find({ where: { id: In(ids) }, order: { id: 'ASC' } }),
      outbox: await m.db.getRepository(OutboxMessage).count({ where: { messageKey: In(ids) } }),
      history: await m.db.getRepository(HistoryEntry).count({ where: { subjectId: In(ids) } }),
    };
  };

  it('seeds the five founders once, admitted on 2020-04-27, Pažangios Inovacijos as the coordinator', async () => {
    await seedFoundingMembers(m.db);
    const before = await foundersState();
    expect(await seedFoundingMembers(m.db)).toEqual([]);
    expect(await foundersState()).toEqual(before);

    const founders = await m.db
      .getRepository(Member)
      .findBy({ id: In(FOUNDING_MEMBERS.map((f) => f.id)), membershipType: 'founding' });
    expect(founders.map((f) => f.legalName).sort()).toEqual(FOUNDING_MEMBERS.map((f) => f.legalName).sort());
    expect(founders.every((f) => f.admittedOn === '2020-04-27' && f.status === 'active')).toBe(true);
    expect(founders.filter((f) => f.isCoordinator).map((f) => f.legalName)).toEqual(['Pažangios Inovacijos UAB']);
    for (const founder of founders) expect(await m.outboxTypes(founder.id)).toEqual(['MemberAdmitted']);
  });

  it('loads the demo through the application rules, once', async () => {
    const demoCodes = [MLEZ, ...DEMO_APPLICANTS].map((_, i) => demoRegistrationCode(i));
    const demoState = async () => ({
      applications: await m.db
        .getRepository(Application)
        .find({ where: { registrationCode: In(demoCodes) }, order: { id: 'ASC' } }),
      members: await m.db
        .getRepository(Member)
        .find({ where: { registrationCode: In(demoCodes) }, order: { id: 'ASC' } }),
    });
    const first = await loadDemo(m.db);
    expect(first.created).toHaveLength(DEMO_APPLICANTS.length + 1);
    const before = await demoState();
    expect(await loadDemo(m.db)).toEqual({ created: [], skipped: DEMO_APPLICANTS.length + 1 });
    expect(await demoState()).toEqual(before);

    const mlez = await m.db.getRepository(Member).findOneByOrFail({ registrationCode: demoCodes[0] });
    expect(mlez.legalName).toBe(MLEZ.legalName);
    expect(mlez).toMatchObject({ membershipType: 'full', status: 'active', admittedOn: '2020-10-04' });
    const admittedAfterFounding = await m.db
      .getRepository(Member)
      .createQueryBuilder('m')
      .where(`m.admitted_on > '2020-04-27' AND m.registration_code IN (:...codes)`, { codes: demoCodes })
      .orderBy('m.admitted_on')
      .getMany();
    expect(admittedAfterFounding[0].legalName).toBe(MLEZ.legalName);

    const byStatus = await m.db
      .getRepository(Application)
      .createQueryBuilder('a')
      .select('a.status', 'status')
      .addSelect('count(*)::int', 'n')
      .where('a.registration_code IN (:...codes)', { codes: demoCodes })
      .groupBy('a.status')
      .getRawMany<{ status: string; n: number }>();
    const counts = Object.fromEntries(byStatus.map((r) => [r.status, r.n]));
    const expected = (status: string) => [MLEZ, ...DEMO_APPLICANTS].filter((d) => d.outcome === status).length;
    for (const status of ['submitted', 'under_review', 'admitted', 'rejected', 'withdrawn']) {
      expect(counts[status] ?? 0).toBe(expected(status));
    }
    const mlezHistory = await m.db
      .getRepository(HistoryEntry)
      .find({ where: { subjectId: mlez.applicationId! }, order: { id: 'ASC' } });
    expect(mlezHistory.map((h) => [h.action, h.at.toISOString().slice(0, 10)])).toEqual([
      ['submitted', '2020-09-14'],
      ['review_started', '2020-09-20'],
      ['admitted', '2020-10-04'],
    ]);
  });
});
