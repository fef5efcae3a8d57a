import { uniqueTopicPrefix } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { MembershipHarness, startMembership, validApplicationBody } from '../../test/membership-test-kit';

/**
 * Asking for sign-in links is limited per address (whoever asks) and per client, with the real
 * Redis counters: a known and an unknown address reach the same 429 after the same number of
 * asks, so the limit tells nothing about who is a member.
 */
describe('sign-in link limits', () => {
  let membership: MembershipHarness;

  beforeAll(async () => {
    membership = await startMembership(uniqueTopicPrefix(), {
      RATE_LIMITS: 'sign-in-address=2/3600,sign-in-links=8/600',
    });
  });

  afterAll(() => membership?.app.close());

  const ask = (email: string) => membership.http.post('/sign-in/links').send({ email });

  it('answers a known and an unknown address the same, until either asked too often', async () => {
    const known = `ona-${randomUUID().slice(0, 8)}@example.lt`;
    await membership.admitted(validApplicationBody({ contact: { name: 'Ona', email: known, language: 'lt' } }));
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.lt`;

    const statuses = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await ask(email));
      return answers;
    };
    const [knownAnswers, unknownAnswers] = [await statuses(known), await statuses(unknown)];

    expect(knownAnswers.map((a) => a.status)).toEqual([202, 202, 429]);
    expect(unknownAnswers.map((a) => a.status)).toEqual([202, 202, 429]);
    expect(unknownAnswers[2].body).toEqual({ ...knownAnswers[2].body });
    expect(knownAnswers[2].body.code).toBe('SIGN_IN_RATE_LIMITED');
    expect(Number(knownAnswers[2].headers['retry-after'])).toBeGreaterThan(0);
    // The address counts however it is written.
    const upperCase = await ask(known.toUpperCase());
    expect([upperCase.status, upperCase.body.code]).toEqual([429, 'SIGN_IN_RATE_LIMITED']);
  });

  it('limits one client however many addresses it tries', async () => {
    // Eight asks per client in this suite: the first test made seven.
    expect((await ask(`other-${randomUUID().slice(0, 8)}@example.lt`)).status).toBe(202);
    const answer = await ask(`another-${randomUUID().slice(0, 8)}@example.lt`);
    expect([answer.status, answer.body.code]).toEqual([429, 'RATE_LIMITED']);
  });
});
