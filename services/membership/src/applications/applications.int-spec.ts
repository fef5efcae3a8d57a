import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { OutboxMessage } from '@valley/messaging';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { coordinatorToken, startTestApp, tokenWithRoles } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import { MembershipAppModule } from '../app.module';
import { MembershipConfig } from '../membership.config';
import { HistoryEntry } from '../history/history-entry.entity';
import { Member } from '../members/member.entity';
import { validApplicationBody as applicationBody } from '../../test/membership-test-kit';
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
    history: await db.getRepository(HistoryEntry).count(),
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
    // ApplicationSubmitted, ApplicantAccessIssued for the acknowledgement's status link, and the
    // new organisation's personal-data key for the keys topic (its contact travels sealed).
    expect(after.outbox).toBe(before.outbox + 3);
    const row = await db
      .getRepository(OutboxMessage)
      .findOneByOrFail({ messageKey: response.body.organisationId, eventType: 'ApplicationSubmitted' });
    expect(row.eventType).toBe('ApplicationSubmitted');
    expect(row.envelope).toMatchObject({
      type: 'ApplicationSubmitted',
      aggregateId: response.body.organisationId,
      payload: { applicationId: response.body.id, personal: expect.stringMatching(/^ey/) },
    });
    expect(JSON.stringify(row.envelope)).not.toContain((applicationBody().contact as { email: string }).email);
    const key = await db
      .getRepository(OutboxMessage)
      .findOneByOrFail({ messageKey: response.body.organisationId, eventType: 'PersonalDataKeyIssued' });
    expect(key.id < row.id).toBe(true); // announced ahead of the first event it opens
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
      ['a legalName that is a number', { legalName: 42 }, 'legalName'],
      ['an empty legalName', { legalName: '' }, 'legalName'],
      ['an over-long legalName', { legalName: 'x'.repeat(301) }, 'legalName'],
      ['a Lithuanian code with a bad check digit', { registrationCode: '302512341' }, 'registrationCode'],
      ['a Lithuanian code of 8 digits', { registrationCode: '30251234' }, 'registrationCode'],
      ['a registration code with spaces', { registrationCode: '302 512 340' }, 'registrationCode'],
      ['a lower-case country', { country: 'lt' }, 'country'],
      ['a country that is a number', { country: 440 }, 'country'],
      ['a missing region', { region: undefined }, 'region'],
      ['an over-long region', { region: 'x'.repeat(101) }, 'region'],
      ['an unknown size class', { sizeClass: 'huge' }, 'sizeClass'],
      ['a null organisation type', { organisationType: null }, 'organisationType'],
      ['a NACE class that does not exist', { sectorCodes: ['C26.13'] }, 'sectorCodes'],
      ['a NACE division that does not exist', { sectorCodes: ['C34'] }, 'sectorCodes'],
      ['no sector code', { sectorCodes: [] }, 'sectorCodes'],
      ['a repeated sector code', { sectorCodes: ['C26.1', 'C26.1'] }, 'sectorCodes'],
      ['too many sector codes', { sectorCodes: Array(21).fill('C') }, 'sectorCodes'],
      ['a sector code that is a number', { sectorCodes: [26.11] }, 'sectorCodes'],
      ['an unknown focus area', { focusAreas: ['space_tourism'] }, 'focusAreas'],
      ['focus areas that are not a list', { focusAreas: 'cooperation' }, 'focusAreas'],
      ['an ftp website', { website: 'ftp://example.lt' }, 'website'],
      ['an over-long motivation', { motivation: 'x'.repeat(5001) }, 'motivation'],
      ['a description that is a number', { description: 7 }, 'description'],
      ['contact missing', { contact: undefined }, 'contact'],
      ['a contact without a name', { contact: { email: 'a@b.lt', language: 'lt' } }, 'contact.name'],
      [
        'a phone with letters',
        { contact: { name: 'A', email: 'a@b.lt', phone: 'call me', language: 'lt' } },
        'contact.phone',
      ],
      [
        'an unknown contact field',
        { contact: { name: 'A', email: 'a@b.lt', language: 'lt', fax: '1' } },
        'contact.fax',
      ],
      ['consent given as a word', { consent: { publicListing: 'yes', announcements: true } }, 'consent.publicListing'],
      ['consent given as a list', { consent: [true, true] }, 'consent'],
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

    it.each([
      ['a JSON array', '[]'],
      ['a JSON string', '"apply"'],
      ['a JSON number', '42'],
      ['an empty object', '{}'],
    ])('%s as the body', async (_, raw) => {
      const before = await snapshot();
      const response = await request(app.getHttpServer())
        .post('/applications')
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it('a form-encoded body instead of JSON', async () => {
      const before = await snapshot();
      await request(app.getHttpServer()).post('/applications').type('form').send({ legalName: 'A' }).expect(400);
      expect(await snapshot()).toEqual(before);
    });

    it('a huge body gets 413', async () => {
      const before = await snapshot();
      await submit(applicationBody({ description: 'x'.repeat(300 * 1024) })).expect(413);
      expect(await snapshot()).toEqual(before);
    });

    it('names every bad field of one request at once', async () => {
      const response = await submit(
        applicationBody({ legalName: '', registrationCode: '302512341', sectorCodes: ['Z99'], extra: 1 }),
      ).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(
        ['extra', 'legalName', 'registrationCode', 'sectorCodes'].sort(),
      );
    });

    it('checks the check digit only for Lithuanian codes', async () => {
      await submit(applicationBody({ country: 'DE', registrationCode: 'HRB-12345' })).expect(201);
      await submit(applicationBody({ country: 'LT', registrationCode: '302512340' })).expect((r) =>
        expect([201, 409]).toContain(r.status),
      );
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
    expect(events.map((e) => e.eventType).sort()).toEqual([
      'ApplicantAccessIssued',
      'ApplicationSubmitted',
      'MemberAdmitted',
      'PersonalDataKeyIssued',
    ]);
    // The step in both histories, written with the admission: the application's and the new member's.
    const historyOf = async (path: string) =>
      (await request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${coordinatorToken()}`).expect(200))
        .body;
    expect(await historyOf(`/applications/${body.id}/history`)).toEqual([
      expect.objectContaining({ action: 'submitted', toStatus: 'submitted' }),
      expect.objectContaining({
        action: 'admitted',
        fromStatus: 'submitted',
        toStatus: 'admitted',
        actor: 'rasa@pazangiosinovacijos.example',
      }),
    ]);
    expect(await historyOf(`/members/${body.organisationId}/history`)).toEqual([
      expect.objectContaining({ action: 'admitted', toStatus: 'active', actor: 'rasa@pazangiosinovacijos.example' }),
    ]);

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

  it('refuses to admit an organisation that became a member while its application was open (409), changing nothing', async () => {
    const body = applicationBody();
    const registrationCode = String(body.registrationCode);
    const pending = await submit(body).expect(201);
    // Another member takes the registration code meanwhile (as an import or a lost race would).
    const other = await submit(applicationBody()).expect(201);
    await admit(other.body.id, coordinatorToken()).expect(201);
    await db.getRepository(Member).update({ id: other.body.organisationId }, { registrationCode });

    const before = await snapshot();
    const refused = await admit(pending.body.id, coordinatorToken()).expect(409);
    expect(refused.body).toMatchObject({ code: 'ALREADY_MEMBER' });
    expect(refused.body.message).toContain(registrationCode);
    expect(await snapshot()).toEqual(before);
  });
});
