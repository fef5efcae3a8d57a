import { Agent, request as httpRequest } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { coordinatorToken } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import request from 'supertest';
import {
  MembershipHarness,
  startMembership,
  validApplicationBody,
} from '../../services/membership/test/membership-test-kit';
import { startService } from '../support/service-apps';

/**
 * Hostile input on every service gets a 4xx naming the field and changes nothing, or is stored
 * and returned exactly; never a 5xx, never a dropped connection. Against the real Postgres
 * (which refuses U+0000 in text: the 500 this suite was written for).
 */
describe('hostile input', () => {
  const prefix = uniqueTopicPrefix();
  let membership: MembershipHarness;
  let directory: INestApplication;
  let notifications: INestApplication;

  beforeAll(async () => {
    [membership, directory, notifications] = await Promise.all([
      startMembership(prefix),
      startService('directory', prefix),
      startService('notifications', prefix),
    ]);
  });

  afterAll(async () => {
    await Promise.all([membership?.app.close(), directory?.close(), notifications?.close()]);
  });

  /** Submits, expects a 400 naming exactly `field`, and checks that nothing changed. */
  async function refused(body: unknown, field: string) {
    const before = await membership.snapshot();
    const response = await membership.submit(body).expect(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    expect(await membership.snapshot()).toEqual(before);
    return response.body as { fields: { field: string; messages: string[] }[] };
  }

  describe('characters no field can store', () => {
    it.each([
      ['legalName', { legalName: 'a\u0000b' }],
      ['region', { region: 'Kauno\u0000 apskritis' }],
      ['description', { description: 'line\u0000' }],
      ['motivation', { motivation: '\u0000' }],
      ['contact.name', { contact: { name: 'Jo\u0000nas', email: 'jonas@mlez.example', language: 'lt' } }],
    ])('U+0000 in %s: 400 naming it, nothing changed', async (field, override) => {
      const body = await refused(validApplicationBody(override), field);
      expect(body.fields[0].messages[0]).toBe(`${field} must not contain U+0000 or unpaired surrogates`);
    });

    it('an unpaired surrogate (it cannot be stored as UTF-8): 400 naming the field', async () => {
      await refused(validApplicationBody({ description: 'half an emoji: \ud83d' }), 'description');
      await refused(validApplicationBody({ legalName: '\udc00UAB' }), 'legalName');
    });

    it('U+0000 in a field name: 400 naming it', async () => {
      await refused({ ...validApplicationBody(), 'legal\u0000Name': 'x' }, 'legal\u0000Name');
    });

    it('U+0000 in a query string of every service: 400 naming the parameter', async () => {
      const token = `Bearer ${coordinatorToken()}`;
      const directoryAnswer = await request(directory.getHttpServer()).get('/members?q=Kaun%00as').expect(400);
      expect(directoryAnswer.body.fields[0].field).toBe('q');
      const membershipAnswer = await membership.http
        .get('/applications?status=sub%00mitted')
        .set('Authorization', token)
        .expect(400);
      expect(membershipAnswer.body.fields[0].field).toBe('status');
      const deliveries = await request(notifications.getHttpServer())
        .get('/deliveries?recipient=ona%00@example.lt')
        .set('Authorization', token)
        .expect(400);
      expect(deliveries.body.fields[0].field).toBe('recipient');
    });
  });

  describe('which characters each text field takes', () => {
    it.each([
      ['a bell in a legal name', { legalName: 'UAB Skambutis\u0007' }, 'legalName'],
      ['a line break in a legal name', { legalName: 'UAB\nAntra eilutė' }, 'legalName'],
      ['a C1 control in a region', { region: 'Kauno\u0085apskritis' }, 'region'],
      ['a right-to-left override in a legal name', { legalName: 'UAB \u202Eeciovni' }, 'legalName'],
      ['an escape character in a description', { description: 'colour \u001b[31mred' }, 'description'],
      [
        'a tab in a contact name',
        { contact: { name: 'Jonas\tJonaitis', email: 'jonas@mlez.example', language: 'lt' } },
        'contact.name',
      ],
    ])('refuses %s, naming the field', async (_, override, field) => {
      const body = await refused(validApplicationBody(override), field);
      expect(body.fields[0].messages[0]).toMatch(new RegExp(`^${field.replace('.', '\\.')} must be text`));
    });

    // Found by the input properties: these fields had no text rule beside their format check,
    // which lets control characters and bidirectional overrides through.
    it.each([
      ['a bell in a website path', { website: 'https://example.lt/apie\u0007' }, 'website'],
      ['a right-to-left override in a website host', { website: 'https://www\u202e.example.lt' }, 'website'],
      [
        'a right-to-left override in a contact email',
        { contact: { name: 'Jonas', email: 'jonas\u202e@mlez.example', language: 'lt' } },
        'contact.email',
      ],
      [
        'a C1 control in a contact email',
        { contact: { name: 'Jonas', email: 'jonas\u0085x@mlez.example', language: 'lt' } },
        'contact.email',
      ],
    ])('refuses %s in an application, naming the field', async (_, override, field) => {
      const body = await refused(validApplicationBody(override), field);
      expect(body.fields[0].messages).toContain(
        `${field} must be text on one line, without control characters or bidirectional overrides`,
      );
    });

    it.each([
      ['website', 'https://example.lt/apie\u0007'],
      ['logoUrl', 'https://cdn.example.lt/logo\u202e.png'],
    ])('refuses control characters in a member’s %s, naming it, nothing changed', async (field, value) => {
      const id = await membership.admitted();
      const before = await membership.snapshot();
      const response = await membership.http
        .patch(`/members/${id}`)
        .set('Authorization', `Bearer ${coordinatorToken()}`)
        .set('If-Match', '"1"')
        .send({ [field]: value })
        .expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await membership.snapshot()).toEqual(before);
    });

    it('refuses U+0000 in an imported website (the CSV import does not pass the request pipe) as a refused row', async () => {
      const before = await membership.snapshot();
      const csv = [
        'legalName,registrationCode,country,region,organisationType,sizeClass,sectorCodes,focusAreas,website,contactName,contactEmail,contactLanguage,publicListing,announcements',
        `UAB Nulis,${validApplicationBody().registrationCode},LT,Kauno apskritis,business,small,C25.62,cooperation,https://example.lt/a\u0000b,Ona,ona@example.lt,lt,true,false`,
      ].join('\n');
      const response = await membership.http
        .post('/members/import')
        .set('Authorization', `Bearer ${coordinatorToken()}`)
        .attach('file', Buffer.from(csv), 'members.csv')
        .expect(201);
      expect(response.body.imported).toEqual([]);
      expect(response.body.refused[0].reasons).toContain(
        'website must be text on one line, without control characters or bidirectional overrides',
      );
      expect(await membership.snapshot()).toEqual(before);
    });

    it.each(['2020-02-30', '2021-02-29', '0000-01-01'])(
      'refuses an imported admission day that is no calendar day (%s) as a refused row, not a 500',
      async (admittedOn) => {
        const before = await membership.snapshot();
        const csv = [
          'legalName,registrationCode,country,region,organisationType,sizeClass,sectorCodes,focusAreas,contactName,contactEmail,contactLanguage,publicListing,announcements,admittedOn',
          `UAB Diena,${validApplicationBody().registrationCode},LT,Kauno apskritis,business,small,C25.62,cooperation,Ona,ona@example.lt,lt,true,false,${admittedOn}`,
        ].join('\n');
        const response = await membership.http
          .post('/members/import')
          .set('Authorization', `Bearer ${coordinatorToken()}`)
          .attach('file', Buffer.from(csv), 'members.csv')
          .expect(201);
        expect(response.body.imported).toEqual([]);
        expect(response.body.refused[0].reasons).toEqual(['admittedOn must be a date, YYYY-MM-DD']);
        expect(await membership.snapshot()).toEqual(before);
      },
    );

    it('says the rule of the website, logo and email fields in the OpenAPI document', async () => {
      const schemas = (await membership.http.get('/docs/openapi.json').expect(200)).body.components.schemas;
      for (const schema of [
        schemas.SubmitApplicationDto.properties.website,
        schemas.ApplicationContactDto.properties.email,
        schemas.UpdateMemberDto.properties.logoUrl,
      ]) {
        expect(schema.description).toMatch(/Text on one line: no control characters/);
      }
    });

    it('stores and returns exactly: letters of every script, marks, emoji, symbols; line breaks and tabs where lines are allowed', async () => {
      const legalName = 'UAB „Žąsų Ūkis“ — 株式会社 Ölçek 🐝 e\u0301 ﬁ';
      const description =
        'Eilutė 1\r\nEilutė 2\n\tĮtrauka; 👩‍🔬 mokslininkė; non-characters \uFFFE\uFFFF; space\u00a0nbsp';
      const created = await membership.submit(validApplicationBody({ legalName, description })).expect(201);

      const read = await membership.http
        .get(`/applications/${created.body.id}`)
        .set('X-Applicant-Token', created.body.applicantToken)
        .expect(200);
      expect(read.body.legalName).toBe(legalName);
      expect(read.body.description).toBe(description);
    });

    it('says the rule of each text field in the OpenAPI document', async () => {
      const doc = (await membership.http.get('/docs/openapi.json').expect(200)).body;
      const schema = doc.components.schemas.SubmitApplicationDto.properties;

      expect(schema.legalName.description).toMatch(/Text on one line: no control characters/);
      expect(schema.legalName.pattern).toMatch(/^\^\[\^/);
      expect(schema.description.description).toMatch(/line feeds, carriage returns and tabs allowed/);
    });
  });

  describe('bodies', () => {
    it('refuses a body of 20,000 nested arrays with a 400 before any work, nothing changed', async () => {
      const before = await membership.snapshot();
      const deep = '['.repeat(20_000) + ']'.repeat(20_000);

      const response = await membership.http
        .post('/applications')
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);

      expect(response.body.message).toBe('the JSON body is nested deeper than 16 levels');
      expect(await membership.snapshot()).toEqual(before);
    });

    it('refuses nesting deeper than the bound inside a field too', async () => {
      let nested: unknown = 'x';
      for (let i = 0; i < 20; i++) nested = { nested };
      await membership.submit(validApplicationBody({ contact: nested })).expect(400);
    });

    it('refuses a body over 256 kB with 413', async () => {
      const before = await membership.snapshot();
      await membership.submit(validApplicationBody({ description: 'x'.repeat(300 * 1024) })).expect(413);
      expect(await membership.snapshot()).toEqual(before);
    });

    it.each(['text/plain', 'application/vnd.api+json', 'application/xml'])(
      'refuses a body of type %s with 415 instead of handling the request as if it had none',
      async (type) => {
        const { id } = await membership.applied();
        const before = await membership.snapshot();
        const response = await membership.http
          .post(`/applications/${id}/review`)
          .set('Authorization', `Bearer ${coordinatorToken()}`)
          .set('Content-Type', type)
          .send('{"note":"kept?"}')
          .expect(415);
        expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        expect(await membership.snapshot()).toEqual(before);
      },
    );

    it('refuses malformed JSON with 400', async () => {
      await membership.http
        .post('/applications')
        .set('Content-Type', 'application/json')
        .send('{"legalName":')
        .expect(400);
    });
  });

  describe('cursors and headers (found by the input properties)', () => {
    const token = () => `Bearer ${coordinatorToken()}`;
    const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

    it.each([
      ['/members', ['UAB Metalas', 'not-a-uuid']],
      ['/members', ['UAB \u0000Metalas', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11']],
      ['/members', ['UAB \ud800Metalas', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11']],
      ['/applications', ['2026-01-01T00:00:00.000Z', 'not-a-uuid']],
      ['/applications', ['not a time', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11']],
      ['/applications', ['1', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11']],
      ['/applications', ['2026-02-30T00:00:00.000Z', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11']],
    ])('GET %s with a cursor it never gave out (%j): 400 naming cursor, not a 500', async (path, parts) => {
      const response = await membership.http
        .get(`${path}?cursor=${cursor(parts)}`)
        .set('Authorization', token())
        .expect(400);
      expect(response.body.fields).toEqual([
        { field: 'cursor', messages: ['cursor must be the nextCursor of a previous page'] },
      ]);
    });

    it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
      'a field named %s (a member of Object.prototype) is refused like any unknown field, nothing changed',
      async (name) => {
        const text = JSON.stringify(validApplicationBody());
        await refused(JSON.parse(`{${JSON.stringify(name)}: "x", ${text.slice(1)}`), name);
        const contact = JSON.parse(
          `{"name": "Ona", "email": "ona@example.lt", "language": "lt", ${JSON.stringify(name)}: {"a": 1}}`,
        );
        await refused(validApplicationBody({ contact }), `contact.${name}`);
        const search = await request(directory.getHttpServer()).get(`/members?${name}=1`).expect(400);
        expect(search.body.fields[0].field).toBe(name);
        // On Fastify too (the directory's webhooks take bodies): named, and no prototype touched.
        const webhook = await request(directory.getHttpServer())
          .post('/webhooks')
          .set('Authorization', token())
          .set('Content-Type', 'application/json')
          .send(
            `{${JSON.stringify(name)}: {"polluted": true}, "url": "https://partner.example.lt/hooks", ` +
              `"eventTypes": ["member.joined"], "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}`,
          )
          .expect(400);
        expect(webhook.body.fields[0].field).toBe(name);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        const list = await membership.http.get(`/applications?${name}=1`).set('Authorization', token()).expect(400);
        expect(list.body.fields[0].field).toBe(name);
      },
    );

    it.each([
      ['2026-13-45 99:99:99+00', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11'],
      ['2026-02-30 10:00:00.123+00', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11'],
      ['2026-12-01 10:00:00+99', '7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11'],
    ])('GET /deliveries with a cursor whose time is no time (%s): 400 naming cursor, not a 500', async (...parts) => {
      const response = await request(notifications.getHttpServer())
        .get(`/deliveries?cursor=${cursor(parts)}`)
        .set('Authorization', token())
        .expect(400);
      expect(response.body.fields).toEqual([
        { field: 'cursor', messages: ['cursor must be the nextCursor of a previous page'] },
      ]);
    });

    // An optional field the document does not call nullable is absent or valid: null was taken
    // for absent behind the document's back (found by the input properties).
    it.each([
      ['website', { website: null }],
      ['motivation', { motivation: null }],
      ['contact.phone', { contact: { name: 'Ona', email: 'ona@example.lt', phone: null, language: 'lt' } }],
    ])('null for the optional %s of an application: 400 naming it', async (field, override) => {
      await refused(validApplicationBody(override), field);
    });

    it.each([
      ['review', 'note'],
      ['admit', 'note'],
    ])('null for the optional %s %s: 400 naming it, nothing changed', async (step, field) => {
      const { id } = await membership.applied();
      const before = await membership.snapshot();
      const response = await membership.decide(id, step, { [field]: null }).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await membership.snapshot()).toEqual(before);
    });

    // An array passed ValidateNested as a list of consents: stored as the member's consent, it was
    // published and dead-lettered by the directory (null `listed`); found by the input properties.
    it.each([
      ['consent', []],
      ['consent', [{ publicListing: true, announcements: true }]],
      ['contact', []],
      ['contact', 'Ona'],
    ])('a member’s %s that is no object (%j): 400 naming it, nothing changed', async (field, value) => {
      const id = await membership.admitted();
      const before = await membership.snapshot();
      const response = await membership.http
        .patch(`/members/${id}`)
        .set('Authorization', token())
        .set('If-Match', '"1"')
        .send({ [field]: value })
        .expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await membership.snapshot()).toEqual(before);
    });

    it('a malformed If-Match: 400 naming If-Match', async () => {
      const id = await membership.admitted();
      const response = await membership.http
        .patch(`/members/${id}`)
        .set('Authorization', token())
        .set('If-Match', '"9999999999"')
        .send({ region: 'Kauno apskritis' })
        .expect(400);
      expect(response.body.fields).toEqual([
        { field: 'If-Match', messages: ['If-Match must be the member’s version, e.g. "3"'] },
      ]);
    });

    it('an import without the file, or with a file that is no CSV of members: 400 naming file', async () => {
      const noFile = await membership.http
        .post('/members/import')
        .set('Authorization', token())
        .field('note', 'no file here')
        .expect(400);
      expect(noFile.body.fields[0].field).toBe('file');
      const notMembers = await membership.http
        .post('/members/import')
        .set('Authorization', token())
        .attach('file', Buffer.from('name,colour\nx,y\n'), 'members.csv')
        .expect(400);
      expect(notMembers.body.fields[0].field).toBe('file');
    });
  });

  describe('bursts of bad requests', () => {
    /** Sends every request at once over a few keep-alive connections; counts statuses and errors. */
    async function burst(port: number, requests: { method: string; path: string; body?: string }[]) {
      const agent = new Agent({ keepAlive: true, maxSockets: 20 });
      const statuses = new Map<number, number>();
      const errors: string[] = [];
      await Promise.all(
        requests.map(
          ({ method, path, body }) =>
            new Promise<void>((resolve) => {
              const req = httpRequest(
                {
                  host: '127.0.0.1',
                  port,
                  method,
                  path,
                  agent,
                  headers: body
                    ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
                    : {},
                },
                (res) => {
                  res.resume();
                  res.on('end', () => {
                    statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
                    resolve();
                  });
                },
              );
              req.on('error', (error: NodeJS.ErrnoException) => {
                errors.push(error.code ?? error.message);
                resolve();
              });
              req.end(body);
            }),
        ),
      );
      agent.destroy();
      return { statuses: Object.fromEntries(statuses), errors };
    }

    const portOf = (app: INestApplication) => (app.getHttpServer().address() as { port: number }).port;

    it('answers every one of 600 malformed directory searches with a 400, resetting no connection', async () => {
      const paths = ['/members?limit=-1', '/members?limit=abc', '/members?q=%00', '/members?sort=up', '/members/nope'];
      const result = await burst(
        portOf(directory),
        Array.from({ length: 600 }, (_, i) => ({ method: 'GET', path: paths[i % paths.length] })),
      );

      expect(result.errors).toEqual([]);
      expect(result.statuses).toEqual({ 400: 600 });
    });

    it('answers every one of 300 bad application bodies (too big, too deep, malformed) with a 4xx', async () => {
      const bodies = [
        JSON.stringify({ legalName: 'x'.repeat(300 * 1024) }),
        '['.repeat(1000) + ']'.repeat(1000),
        '{"legalName":',
        JSON.stringify({ legalName: 'a\u0000b' }),
      ];
      const result = await burst(
        portOf(membership.app),
        Array.from({ length: 300 }, (_, i) => ({
          method: 'POST',
          path: '/applications',
          body: bodies[i % bodies.length],
        })),
      );

      expect(result.errors).toEqual([]);
      expect(result.statuses).toEqual({ 400: 225, 413: 75 });
    });
  });
});
