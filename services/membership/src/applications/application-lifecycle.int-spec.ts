import { coordinatorToken, tokenWithRoles } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import { MembershipHarness, startMembership, validApplicationBody } from '../../test/membership-test-kit';
import { randomLithuanianCompanyCode } from '@valley/contracts';
import { APPLICATION_TRANSITIONS, ApplicationStep } from './applications.service';
import { ApplicationStatus, ApplicationStatuses } from './application.entity';

/**
 * Every application transition, allowed and refused, against the real Postgres: an allowed step
 * changes the status, records who did it and why, and appends its event in the same transaction;
 * a refused one is a 409 that changes nothing at all.
 */
describe('membership: the application lifecycle', () => {
  let m: MembershipHarness;

  beforeAll(async () => {
    m = await startMembership(uniqueTopicPrefix());
  });

  afterAll(async () => m?.app.close());

  const bodyFor: Record<ApplicationStep, object> = {
    review: { note: 'complete; checking references' },
    admit: { note: 'welcome' },
    reject: { reason: 'outside the cluster region' },
    withdraw: { reason: 'we joined another cluster' },
  };
  const eventFor: Record<ApplicationStep, string | null> = {
    review: null,
    admit: 'MemberAdmitted',
    reject: 'ApplicationRejected',
    withdraw: 'ApplicationWithdrawn',
  };

  /** The history's action of each step, and the word of its refusal ("cannot be under review"). */
  const actionFor: Record<ApplicationStep, string> = {
    review: 'review_started',
    admit: 'admitted',
    reject: 'rejected',
    withdraw: 'withdrawn',
  };
  const wordFor: Record<ApplicationStep, string> = {
    review: 'under review',
    admit: 'admitted',
    reject: 'rejected',
    withdraw: 'withdrawn',
  };

  /** Runs a step as the right party: the applicant (with its token) withdraws, a coordinator does the rest. */
  const run = (app: { id: string; applicantToken: string }, step: ApplicationStep) =>
    step === 'withdraw'
      ? m.http
          .post(`/applications/${app.id}/withdraw`)
          .set('X-Applicant-Token', app.applicantToken)
          .send(bodyFor.withdraw)
      : m.decide(app.id, step, bodyFor[step], coordinatorToken('rasa@pazangiosinovacijos.example'));

  /** An application brought to `status` through the API. */
  async function applicationIn(status: ApplicationStatus) {
    const app = await m.applied();
    const path: Record<ApplicationStatus, ApplicationStep[]> = {
      submitted: [],
      under_review: ['review'],
      admitted: ['admit'],
      rejected: ['reject'],
      withdrawn: ['withdraw'],
    };
    for (const step of path[status]) await run(app, step).expect(201);
    return app;
  }

  const cases = ApplicationStatuses.flatMap((from) =>
    (Object.keys(APPLICATION_TRANSITIONS) as ApplicationStep[]).map(
      (step) =>
        [from, step, (APPLICATION_TRANSITIONS[step].from as readonly ApplicationStatus[]).includes(from)] as const,
    ),
  );

  it.each(cases.filter(([, , allowed]) => allowed))('%s → %s is allowed', async (from, step) => {
    const app = await applicationIn(from);
    const response = await run(app, step).expect(201);
    const to = APPLICATION_TRANSITIONS[step].to;
    expect(response.body.status).toBe(to);

    const row = (await m.snapshot()).applications.find((a) => a.id === app.id)!;
    expect(row.status).toBe(to);
    const history = await m.http
      .get(`/applications/${app.id}/history`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .expect(200);
    const last = history.body[history.body.length - 1];
    expect(last).toMatchObject({
      action: actionFor[step],
      fromStatus: from,
      toStatus: to,
      actor: step === 'withdraw' ? 'applicant' : 'rasa@pazangiosinovacijos.example',
      reason: Object.values(bodyFor[step])[0],
    });
    if (step !== 'review') {
      expect(row).toMatchObject({
        decisionReason: Object.values(bodyFor[step])[0],
        decidedBy: step === 'withdraw' ? 'applicant' : 'rasa@pazangiosinovacijos.example',
      });
      expect(row.decidedAt).not.toBeNull();
    } else {
      // starting a review decides nothing
      expect(row).toMatchObject({ decidedAt: null, decidedBy: null, decisionReason: null });
    }
    const types = await m.outboxTypes(app.organisationId);
    if (eventFor[step]) expect(types[types.length - 1]).toBe(eventFor[step]);
    else expect(types[types.length - 1]).toBe('ApplicationSubmitted');
  });

  it.each(cases.filter(([, , allowed]) => !allowed))(
    '%s → %s is refused with 409, nothing changes',
    async (from, step) => {
      const app = await applicationIn(from);
      const before = await m.snapshot();
      const response = await run(app, step).expect(409);
      expect(response.body).toMatchObject({
        code: 'TRANSITION_NOT_ALLOWED',
        message: `an application that is ${from} cannot be ${wordFor[step]}`,
      });
      expect(await m.snapshot()).toEqual(before);
    },
  );

  it('publishes the decisions with their contract payloads', async () => {
    const rejected = await applicationIn('under_review');
    await run(rejected, 'reject').expect(201);
    expect(await m.lastEvent(rejected.organisationId)).toMatchObject({
      type: 'ApplicationRejected',
      payload: { applicationId: rejected.id, reason: 'outside the cluster region', rejectedAt: expect.any(String) },
    });

    const withdrawn = await applicationIn('submitted');
    await run(withdrawn, 'withdraw').expect(201);
    expect(await m.lastEvent(withdrawn.organisationId)).toMatchObject({
      type: 'ApplicationWithdrawn',
      payload: { applicationId: withdrawn.id, reason: 'we joined another cluster', withdrawnAt: expect.any(String) },
    });

    const admitted = await applicationIn('under_review');
    await run(admitted, 'admit').expect(201);
    expect(await m.lastEvent(admitted.organisationId)).toMatchObject({
      type: 'MemberAdmitted',
      payload: { memberId: admitted.organisationId, applicationId: admitted.id, statement: null, logoUrl: null },
    });
    expect(await m.outboxTypes(admitted.organisationId)).toEqual(['ApplicationSubmitted', 'MemberAdmitted']);
  });

  it('a rejection needs a reason (400 naming it, nothing changes)', async () => {
    const app = await applicationIn('submitted');
    const before = await m.snapshot();
    const response = await m.decide(app.id, 'reject', {}).expect(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    expect(await m.snapshot()).toEqual(before);
  });

  describe('the applicant token', () => {
    it('lets the applicant read its application; another token, none, or a non-coordinator role cannot', async () => {
      const app = await applicationIn('submitted');
      const other = await applicationIn('submitted');
      const mine = await m.http.get(`/applications/${app.id}`).set('X-Applicant-Token', app.applicantToken).expect(200);
      expect(mine.body).toMatchObject({ id: app.id, status: 'submitted' });
      expect(mine.body).not.toHaveProperty('applicantTokenHash');

      await m.http.get(`/applications/${app.id}`).set('X-Applicant-Token', other.applicantToken).expect(404);
      expect((await m.http.get(`/applications/${app.id}`).expect(401)).body.code).toBe('APPLICANT_TOKEN_REQUIRED');
      await m.http
        .get(`/applications/${app.id}`)
        .set('Authorization', `Bearer ${tokenWithRoles(['member'])}`)
        .set('X-Applicant-Token', app.applicantToken)
        .expect(403);
      await m.http.get(`/applications/${app.id}`).set('Authorization', `Bearer ${coordinatorToken()}`).expect(200);
    });

    it('only the right token withdraws', async () => {
      const app = await applicationIn('submitted');
      const other = await applicationIn('submitted');
      const before = await m.snapshot();
      await m.http.post(`/applications/${app.id}/withdraw`).send({}).expect(401);
      await m.http
        .post(`/applications/${app.id}/withdraw`)
        .set('X-Applicant-Token', other.applicantToken)
        .send({})
        .expect(404);
      // a coordinator does not withdraw on the applicant's behalf
      await m.http
        .post(`/applications/${app.id}/withdraw`)
        .set('Authorization', `Bearer ${coordinatorToken()}`)
        .send({})
        .expect(401);
      expect(await m.snapshot()).toEqual(before);
    });
  });

  it('an applicant may apply again after a rejection or a withdrawal', async () => {
    const body = { registrationCode: randomLithuanianCompanyCode(), country: 'LT' };
    const first = await m.applied(body);
    await run(first, 'reject').expect(201);
    const second = await m.applied(body);
    await run(second, 'withdraw').expect(201);
    await m.applied(body);
    expect((await m.submit(validApplicationBody(body)).expect(409)).body.code).toBe('ALREADY_APPLIED');
  });

  describe('GET /applications', () => {
    it('filters by status and pages newest first without gaps or repeats', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const app = await applicationIn('under_review');
        created.push(app.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string; status: string }[]; nextCursor: string | null } } = await m.http
          .get('/applications')
          .query({ status: 'under_review', limit: 2, ...(cursor ? { cursor } : {}) })
          .set('Authorization', `Bearer ${coordinatorToken()}`)
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        expect(page.body.items.every((a) => a.status === 'under_review')).toBe(true);
        seen.push(...page.body.items.map((a) => a.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 5)).toEqual([...created].reverse());
    });

    it('pages the review queue oldest first, of several statuses, with the counts per status', async () => {
      const auth = { Authorization: `Bearer ${coordinatorToken()}` };
      const before = (await m.http.get('/applications').query({ limit: 1 }).set(auth).expect(200)).body.counts;
      const mine = [
        await applicationIn('submitted'),
        await applicationIn('under_review'),
        await applicationIn('submitted'),
      ];
      await applicationIn('rejected');
      const seen: { id: string; status: string; submittedAt: string }[] = [];
      let cursor: string | null = null;
      let counts: Record<string, number> = {};
      do {
        const page: {
          body: { items: typeof seen; nextCursor: string | null; counts: Record<string, number> };
        } = await m.http
          .get('/applications?status=submitted&status=under_review')
          .query({ order: 'oldest', limit: 50, ...(cursor ? { cursor } : {}) })
          .set(auth)
          .expect(200);
        expect(page.body.items.every((a) => ['submitted', 'under_review'].includes(a.status))).toBe(true);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        counts = page.body.counts;
      } while (cursor);
      expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
      const times = seen.map((a) => a.submittedAt);
      expect([...times].sort()).toEqual(times);
      expect(seen.slice(-3).map((a) => a.id)).toEqual(mine.map((a) => a.id));
      expect(Object.keys(counts).sort()).toEqual([...ApplicationStatuses].sort());
      // Other suites share the database: at least what this test added, and exactly the queue seen.
      expect(counts.submitted - before.submitted).toBeGreaterThanOrEqual(2);
      expect(counts.rejected - before.rejected).toBeGreaterThanOrEqual(1);
      expect(counts.submitted + counts.under_review).toBeGreaterThanOrEqual(seen.length);
      // One status alone still works as before (newest first).
      const one = await m.http.get('/applications').query({ status: 'submitted', limit: 100 }).set(auth).expect(200);
      expect(one.body.items.every((a: { status: string }) => a.status === 'submitted')).toBe(true);
    });

    it.each([
      ['an unknown order', { order: 'random' }, 'order'],
      ['an unknown status among several', 'status=submitted&status=pending', 'status'],
      ['an unknown status', { status: 'pending' }, 'status'],
      ['a limit of 0', { limit: 0 }, 'limit'],
      ['a limit that is not a number', { limit: 'ten' }, 'limit'],
      ['a limit over 100', { limit: 101 }, 'limit'],
      ['a cursor that is not base64url', { cursor: '!!' }, 'cursor'],
    ])('refuses %s with a 400 naming it', async (_, query, field) => {
      const response = await m.http
        .get('/applications')
        .query(query)
        .set('Authorization', `Bearer ${coordinatorToken()}`)
        .expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });

    it('is the coordinator’s', async () => {
      await m.http.get('/applications').expect(401);
      await m.http.get(`/applications/${(await m.applied()).id}/history`).expect(401);
    });
  });
});
