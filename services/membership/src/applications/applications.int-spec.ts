import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { OutboxMessage } from '@valley/messaging';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { coordinatorToken, startTestApp, tokenWithRoles } from '@valley/platform/testing';
import { applicationBody, uniqueTopicPrefix } from '@valley/testing';
import { MembershipAppModule } from '../app.module';
import { MembershipConfig } from '../membership.config';
import { Member } from '../members/member.entity';
import { Application } from './application.entity';

describe('membership: POST /applications and POST /applications/:id/admit', () => {
  let app: INestApplication;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestApp({
      service: 'membership',
      configClass: MembershipConfig,
      module: (config) => MembershipAppModule.forRoot(config),
      topicPrefix: uniqueTopicPrefix(),
    });
    db = app.get<DataSource>(getDataSourceToken());
  });

  afterAll(async () => app?.close());

  /** Everything a refused request must leave untouched. */
  const snapshot = async () => ({
    applications: await db.getRepository(Application).find({ order: { id: 'ASC' } }),
    members: await db.getRepository(Member).count(),
    outbox: await db.getRepository(OutboxMessage).count(),
  });

  const submit = (body: unknown) =>
    request(app.getHttpServer())
      .post('/applications')
      .send(body as object);
  const admit = (id: string, token?: string) => {
    const req = request(app.getHttpServer()).post(`/applications/${id}/admit`).send({});
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('records a submission and its ApplicationSubmitted event in one go', async () => {
    const before = await snapshot();
    const response = await submit(applicationBody()).expect(201);
    const after = await snapshot();
    expect(after.applications).toHaveLength(before.applications.length + 1);
    expect(after.outbox).toBe(before.outbox + 1);
    const row = await db.getRepository(OutboxMessage).findOneByOrFail({ messageKey: response.body.organisationId });
    expect(row.eventType).toBe('ApplicationSubmitted');
    expect(row.envelope).toMatchObject({
      type: 'ApplicationSubmitted',
      aggregateId: response.body.organisationId,
      payload: { applicationId: response.body.id },
    });
  });

  describe('bad input gets a 400 that names the field and changes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a missing legalName', { legalName: undefined }, 'legalName'],
      ['a wrong type', { sectorCodes: 'C26.1' }, 'sectorCodes'],
      ['an unknown organisation type', { organisationType: 'company' }, 'organisationType'],
      ['a bad NACE code', { sectorCodes: ['Z99'] }, 'sectorCodes'],
      ['no focus area', { focusAreas: [] }, 'focusAreas'],
      ['a bad country code', { country: 'XX' }, 'country'],
      ['a bad contact email', { contact: { name: 'A', email: 'not-an-email', language: 'lt' } }, 'contact.email'],
      [
        'a contact language we do not write in',
        { contact: { name: 'A', email: 'a@b.lt', language: 'de' } },
        'contact.language',
      ],
      ['an over-long description', { description: 'x'.repeat(5001) }, 'description'],
      ['an unknown field', { isAdmin: true }, 'isAdmin'],
      ['a website without a protocol', { website: 'example.lt' }, 'website'],
      ['consent missing', { consent: undefined }, 'consent'],
    ];

    it.each(cases)('%s', async (_, overrides, field) => {
      const before = await snapshot();
      const response = await submit(applicationBody(overrides)).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(JSON.stringify(response.body.message)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('broken JSON', async () => {
      const before = await snapshot();
      await request(app.getHttpServer())
        .post('/applications')
        .set('Content-Type', 'application/json')
        .send('{"legalName": "A",')
        .expect(400);
      expect(await snapshot()).toEqual(before);
    });

    it('an admission of something that is not an application id', async () => {
      const response = await admit('not-a-uuid', coordinatorToken()).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['id']);
    });

    it('an unknown field in the admission body', async () => {
      const { body } = await submit(applicationBody()).expect(201);
      const before = await snapshot();
      const response = await request(app.getHttpServer())
        .post(`/applications/${body.id}/admit`)
        .set('Authorization', `Bearer ${coordinatorToken()}`)
        .send({ membershipType: 'founding' })
        .expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['membershipType']);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('admission needs an authenticated coordinator', () => {
    let applicationId: string;

    beforeAll(async () => {
      applicationId = (await submit(applicationBody()).expect(201)).body.id;
    });

    it.each([
      ['no token', 401, undefined],
      ['a malformed token', 401, 'not.a.jwt'],
      [
        'a token signed with another secret',
        401,
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiY29vcmRpbmF0b3IiXX0.c2lnbmF0dXJl',
      ],
      ['a token without the coordinator role', 403, tokenWithRoles(['member'])],
    ])('%s gets %i', async (_, status, token) => {
      const before = await snapshot();
      await admit(applicationId, token as string | undefined).expect(status as number);
      expect(await snapshot()).toEqual(before);
    });
  });

  it('admits once: a second admission is a 409 that changes nothing, an unknown id a 404', async () => {
    const { body } = await submit(applicationBody()).expect(201);
    const admitted = await admit(body.id, coordinatorToken('rasa@pazangiosinovacijos.example')).expect(201);
    expect(admitted.body).toMatchObject({ memberId: body.organisationId, status: 'admitted' });

    const application = await db.getRepository(Application).findOneByOrFail({ id: body.id });
    expect(application).toMatchObject({ status: 'admitted', decidedBy: 'rasa@pazangiosinovacijos.example' });
    const member = await db.getRepository(Member).findOneByOrFail({ id: body.organisationId });
    expect(member).toMatchObject({ status: 'active', membershipType: 'full', legalName: application.legalName });
    const events = await db.getRepository(OutboxMessage).findBy({ messageKey: body.organisationId });
    expect(events.map((e) => e.eventType).sort()).toEqual(['ApplicationSubmitted', 'MemberAdmitted']);

    const before = await snapshot();
    const again = await admit(body.id, coordinatorToken()).expect(409);
    expect(again.body.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(await snapshot()).toEqual(before);

    await admit('00000000-0000-4000-8000-000000000000', coordinatorToken()).expect(404);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a second open application or a member with the same registration code (409)', async () => {
    const body = applicationBody();
    const first = await submit(body).expect(201);
    const before = await snapshot();
    expect((await submit(body).expect(409)).body.code).toBe('ALREADY_APPLIED');
    expect(await snapshot()).toEqual(before);

    await admit(first.body.id, coordinatorToken()).expect(201);
    const afterAdmission = await snapshot();
    expect((await submit(body).expect(409)).body.code).toBe('ALREADY_MEMBER');
    expect(await snapshot()).toEqual(afterAdmission);
  });
});
