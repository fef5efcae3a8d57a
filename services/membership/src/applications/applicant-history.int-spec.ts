import { coordinatorToken, tokenWithRoles } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import { MembershipHarness, startMembership } from '../../test/membership-test-kit';

/**
 * The applicant follows its application (the portal's status page): GET /applications/:id/history
 * with its X-Applicant-Token shows the steps, but neither the coordinator's staff nor their notes.
 */
describe('membership: the application history as its applicant sees it', () => {
  let m: MembershipHarness;

  beforeAll(async () => {
    m = await startMembership(uniqueTopicPrefix());
  });

  afterAll(async () => m?.app.close());

  it('shows the applicant every step, coordinators as "coordinator", only its own and rejection reasons', async () => {
    const app = await m.applied();
    await m
      .decide(app.id, 'review', { note: 'internal: check the references' }, coordinatorToken('rasa@valley.example'))
      .expect(201);
    await m
      .decide(app.id, 'reject', { reason: 'Outside the cluster region.' }, coordinatorToken('rasa@valley.example'))
      .expect(201);

    const seen = await m.http
      .get(`/applications/${app.id}/history`)
      .set('X-Applicant-Token', app.applicantToken)
      .expect(200);
    expect(seen.body).toEqual([
      expect.objectContaining({ action: 'submitted', toStatus: 'submitted', actor: 'applicant', reason: null }),
      expect.objectContaining({
        action: 'review_started',
        toStatus: 'under_review',
        actor: 'coordinator',
        reason: null,
      }),
      expect.objectContaining({
        action: 'rejected',
        toStatus: 'rejected',
        actor: 'coordinator',
        reason: 'Outside the cluster region.',
      }),
    ]);
    for (const entry of seen.body) expect(Date.parse(entry.at)).not.toBeNaN();

    // The coordinator's view of the same application keeps the subject and the note.
    const full = await m.http
      .get(`/applications/${app.id}/history`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .expect(200);
    expect(full.body[1]).toMatchObject({ actor: 'rasa@valley.example', reason: 'internal: check the references' });
  });

  it('shows the applicant its decided application as decided by "coordinator", not by whom', async () => {
    const app = await m.applied();
    await m
      .decide(app.id, 'reject', { reason: 'Outside the region.' }, coordinatorToken('rasa@valley.example'))
      .expect(201);

    const own = await m.http.get(`/applications/${app.id}`).set('X-Applicant-Token', app.applicantToken).expect(200);
    const coordinators = await m.http
      .get(`/applications/${app.id}`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .expect(200);

    expect(own.body).toMatchObject({
      status: 'rejected',
      decidedBy: 'coordinator',
      decisionReason: 'Outside the region.',
    });
    expect(coordinators.body.decidedBy).toBe('rasa@valley.example');
  });

  it("shows the applicant's own withdrawal with its reason", async () => {
    const app = await m.applied();
    await m.http
      .post(`/applications/${app.id}/withdraw`)
      .set('X-Applicant-Token', app.applicantToken)
      .send({ reason: 'We joined another cluster.' })
      .expect(201);
    const seen = await m.http
      .get(`/applications/${app.id}/history`)
      .set('X-Applicant-Token', app.applicantToken)
      .expect(200);
    expect(seen.body.map((e: { action: string }) => e.action)).toEqual(['submitted', 'withdrawn']);
    expect(seen.body[1]).toMatchObject({ actor: 'applicant', reason: 'We joined another cluster.' });
  });

  it("answers 404 for another application's token, as for an unknown id, 401 without any token, 403 without the role", async () => {
    const mine = await m.applied();
    const other = await m.applied();
    const wrong = await m.http
      .get(`/applications/${mine.id}/history`)
      .set('X-Applicant-Token', other.applicantToken)
      .expect(404);
    const unknown = await m.http
      .get('/applications/00000000-0000-4000-8000-000000000000/history')
      .set('X-Applicant-Token', mine.applicantToken)
      .expect(404);
    expect(wrong.body.code).toBe(unknown.body.code);
    await m.http.get(`/applications/${mine.id}/history`).expect(401);
    await m.http
      .get(`/applications/${mine.id}/history`)
      .set('Authorization', `Bearer ${tokenWithRoles(['member'])}`)
      .expect(403);
  });

  it('is documented in the OpenAPI document with the applicant header', async () => {
    const docs = (await m.http.get('/docs/openapi.json').expect(200)).body;
    const operation = docs.paths['/applications/{id}/history'].get;
    expect(operation.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'X-Applicant-Token', in: 'header' })]),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
  });
});
