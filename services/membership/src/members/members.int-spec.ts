import { coordinatorToken, tokenWithRoles } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import { MembershipHarness, startMembership } from '../../test/membership-test-kit';
import { MemberStatus, MemberStatuses } from './member.entity';
import { MEMBER_TRANSITIONS, MemberStep } from './members.service';

describe('membership: members', () => {
  let m: MembershipHarness;
  const auth = () => ({ Authorization: `Bearer ${coordinatorToken('jurgita@pazangiosinovacijos.example')}` });

  beforeAll(async () => {
    m = await startMembership(uniqueTopicPrefix());
  });

  afterAll(async () => m?.app.close());

  const getMember = (id: string) => m.http.get(`/members/${id}`).set(auth());
  const patch = (id: string, body: object, ifMatch?: string) => {
    const req = m.http.patch(`/members/${id}`).set(auth()).send(body);
    return ifMatch === undefined ? req : req.set('If-Match', ifMatch);
  };
  const stepBody: Record<MemberStep, { reason: string }> = {
    suspend: { reason: 'membership fee unpaid for 2025' },
    reinstate: { reason: 'fee paid' },
    end: { reason: 'the company left the cluster' },
  };
  const eventFor: Record<MemberStep, string> = {
    suspend: 'MemberSuspended',
    reinstate: 'MemberReinstated',
    end: 'MembershipEnded',
  };
  /** The history's action for each step, and the word of its refusal ("cannot be suspended"). */
  const actionFor: Record<MemberStep, string> = { suspend: 'suspended', reinstate: 'reinstated', end: 'ended' };
  const runStep = (id: string, step: MemberStep) =>
    m.http.post(`/members/${id}/${step}`).set(auth()).send(stepBody[step]);

  async function memberIn(status: MemberStatus): Promise<string> {
    const id = await m.admitted();
    if (status === 'suspended') await runStep(id, 'suspend').expect(201);
    if (status === 'ended') await runStep(id, 'end').expect(201);
    return id;
  }

  it('a member is created on admission with its profile, consent, type, status and date', async () => {
    const id = await m.admitted({ legalName: 'Šiaulių Metalas UAB' });
    const response = await getMember(id).expect(200);
    expect(response.body).toMatchObject({
      id,
      legalName: 'Šiaulių Metalas UAB',
      membershipType: 'full',
      status: 'active',
      isCoordinator: false,
      admittedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      consent: { publicListing: true, announcements: true },
      statement: null,
      logoUrl: null,
      version: 1,
    });
    expect(response.headers.etag).toBe('"1"');
  });

  const cases = MemberStatuses.flatMap((from) =>
    (Object.keys(MEMBER_TRANSITIONS) as MemberStep[]).map(
      (step) => [from, step, (MEMBER_TRANSITIONS[step].from as readonly MemberStatus[]).includes(from)] as const,
    ),
  );

  it.each(cases.filter(([, , ok]) => ok))('%s → %s is allowed, recorded and published', async (from, step) => {
    const id = await memberIn(from);
    const response = await runStep(id, step).expect(201);
    const to = MEMBER_TRANSITIONS[step].to;
    expect(response.body.status).toBe(to);
    expect((await getMember(id)).body.status).toBe(to);
    const event = await m.lastEvent(id);
    expect(event?.type).toBe(eventFor[step]);
    expect(event?.payload).toMatchObject({ memberId: id });
    if (step !== 'reinstate') expect(event?.payload.reason).toBe(Object.values(stepBody[step])[0]);
    if (step === 'end') expect(event?.payload.endedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const history = (await m.http.get(`/members/${id}/history`).set(auth()).expect(200)).body;
    expect(history[history.length - 1]).toMatchObject({
      fromStatus: from,
      toStatus: to,
      actor: 'jurgita@pazangiosinovacijos.example',
      action: actionFor[step],
      reason: stepBody[step].reason,
    });
    // what the member's record says about the step (written out here, not taken from the service)
    const reason = step === 'reinstate' ? null : stepBody[step].reason;
    const row = (await m.snapshot()).members.find((member) => member.id === id)!;
    expect(row.statusReason).toBe(reason);
    expect(response.body.statusReason).toBe(reason);
    if (step === 'end') {
      expect(row.endedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.endedOn).toBe(event?.payload.endedOn);
    } else expect(row.endedOn).toBeNull();
  });

  it.each(cases.filter(([, , ok]) => !ok))('%s → %s is refused with 409, nothing changes', async (from, step) => {
    const id = await memberIn(from);
    const before = await m.snapshot();
    expect((await runStep(id, step).expect(409)).body).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      message: `a member that is ${from} cannot be ${actionFor[step]}`,
    });
    expect(await m.snapshot()).toEqual(before);
  });

  it('suspension and ending need a reason', async () => {
    const id = await memberIn('active');
    const before = await m.snapshot();
    for (const step of ['suspend', 'end']) {
      const response = await m.http.post(`/members/${id}/${step}`).set(auth()).send({}).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    }
    expect(await m.snapshot()).toEqual(before);
  });

  describe('PATCH /members/:id with optimistic concurrency', () => {
    it('changes the profile and consent and publishes what changed', async () => {
      const id = await memberIn('active');
      const response = await patch(
        id,
        {
          statement: 'We machine precision parts for the cluster’s members.',
          logoUrl: 'https://cdn.example.lt/logo.png',
          sectorCodes: ['C25.62', 'C28.41'],
          consent: { publicListing: false, announcements: true, publicContact: true },
          region: 'Marijampolės apskritis', // unchanged: not reported
        },
        '"1"',
      ).expect(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.body).toMatchObject({
        version: 2,
        statement: expect.any(String),
        sectorCodes: ['C25.62', 'C28.41'],
      });
      const event = await m.lastEvent(id);
      expect(event).toMatchObject({
        type: 'MemberProfileUpdated',
        payload: {
          memberId: id,
          version: 2,
          changedFields: ['sectorCodes', 'statement', 'logoUrl', 'consent'],
          changes: {
            sectorCodes: ['C25.62', 'C28.41'],
            statement: 'We machine precision parts for the cluster’s members.',
            logoUrl: 'https://cdn.example.lt/logo.png',
            consent: { publicListing: false, announcements: true, publicContact: true },
          },
        },
      });
      expect(Object.keys(event!.payload.changes as object).sort()).toEqual([
        'consent',
        'logoUrl',
        'sectorCodes',
        'statement',
      ]);

      // null clears an optional text
      await patch(id, { website: null }, 'W/"2"').expect(200);
      expect((await getMember(id)).body).toMatchObject({ website: null, version: 3 });
    });

    it('a stale version gets 412 and changes nothing', async () => {
      const id = await memberIn('active');
      await patch(id, { statement: 'first' }, '"1"').expect(200);
      const before = await m.snapshot();
      const response = await patch(id, { statement: 'second, from a stale form' }, '"1"').expect(412);
      expect(response.body.code).toBe('STALE_VERSION');
      expect(await m.snapshot()).toEqual(before);
    });

    it('of two concurrent changes from the same version, exactly one wins', async () => {
      const id = await memberIn('active');
      const results = await Promise.all([patch(id, { statement: 'A' }, '"1"'), patch(id, { statement: 'B' }, '"1"')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200)!.body.statement;
      expect((await getMember(id)).body).toMatchObject({ statement: winner, version: 2 });
      expect((await m.outboxTypes(id)).filter((t) => t === 'MemberProfileUpdated')).toHaveLength(1);
    });

    it('a status change also moves the version', async () => {
      const id = await memberIn('active');
      await runStep(id, 'suspend').expect(201);
      await patch(id, { statement: 'x' }, '"1"').expect(412);
      await patch(id, { statement: 'x' }, '"2"').expect(200);
    });

    it('no change publishes nothing and keeps the version', async () => {
      const id = await memberIn('active');
      const before = await m.snapshot();
      const response = await patch(id, { region: 'Marijampolės apskritis' }, '"1"').expect(200);
      expect(response.body.version).toBe(1);
      expect(await m.snapshot()).toEqual(before);
    });

    it.each([
      ['no If-Match', undefined, 428, 'VERSION_REQUIRED'],
      ['a malformed If-Match', '"latest"', 400, 'VERSION_MALFORMED'],
    ])('%s gets %i', async (_, ifMatch, status, code) => {
      const id = await memberIn('active');
      const before = await m.snapshot();
      expect((await patch(id, { statement: 'x' }, ifMatch).expect(status)).body.code).toBe(code);
      expect(await m.snapshot()).toEqual(before);
    });

    it.each([
      ['an unknown NACE code', { sectorCodes: ['C26.13'] }, 'sectorCodes'],
      ['a null legal name', { legalName: null }, 'legalName'],
      ['a null contact', { contact: null }, 'contact'],
      ['a bad contact email', { contact: { name: 'A', email: 'nope', language: 'en' } }, 'contact.email'],
      ['a plain-http logo', { logoUrl: 'http://cdn.example.lt/logo.png' }, 'logoUrl'],
      ['an over-long statement', { statement: 'x'.repeat(2001) }, 'statement'],
      ['a registration code (not changeable)', { registrationCode: '302512340' }, 'registrationCode'],
      ['a status (changed by its own steps)', { status: 'ended' }, 'status'],
    ])('refuses %s with a 400 naming it', async (_, body, field) => {
      const id = await memberIn('active');
      const before = await m.snapshot();
      const response = await patch(id, body, '"1"').expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await m.snapshot()).toEqual(before);
    });

    it('an ended membership cannot change', async () => {
      const id = await memberIn('ended');
      expect((await patch(id, { statement: 'x' }, '"2"').expect(409)).body.code).toBe('TRANSITION_NOT_ALLOWED');
    });
  });

  describe('GET /members', () => {
    it('pages by legal name and filters by status', async () => {
      const suspended = await memberIn('suspended');
      const seen: { id: string; status: string; legalName: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: typeof seen; nextCursor: string | null } } = await m.http
          .get('/members')
          .query({ limit: 3, ...(cursor ? { cursor } : {}) })
          .set(auth())
          .expect(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
      const names = seen.map((s) => s.legalName);
      // The database's collation (C.UTF-8) orders by code point, as UTF-8 bytes compare; JavaScript's
      // < compares UTF-16 units, which puts U+10FFFF before U+FFFE (other suites leave such names).
      const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
      expect([...names].sort(byCodePoint)).toEqual(names);

      const onlySuspended = await m.http
        .get('/members')
        .query({ status: 'suspended', limit: 100 })
        .set(auth())
        .expect(200);
      expect(onlySuspended.body.items.every((i: { status: string }) => i.status === 'suspended')).toBe(true);
      expect(onlySuspended.body.items.map((i: { id: string }) => i.id)).toContain(suspended);
    });

    it('searches by name, ignoring case and Lithuanian diacritics, and by registration code; with status and pages', async () => {
      const word = `Žąsų${Date.now().toString(36)}`;
      const a = await m.admitted({ legalName: `${word} Ūkis UAB` });
      const b = await m.admitted({ legalName: `Didysis ${word.toUpperCase()} 100%_ AB` });
      await runStep(b, 'suspend').expect(201);
      const search = (query: object) =>
        m.http
          .get('/members')
          .query({ limit: 100, ...query })
          .set(auth())
          .expect(200)
          .then((r) => r.body.items.map((i: { id: string }) => i.id));
      const folded = `zasu${word.slice(4)}`.toLowerCase();
      expect((await search({ q: folded })).sort()).toEqual([a, b].sort());
      expect(await search({ q: ` ${word} ūkis ` })).toEqual([a]);
      expect(await search({ q: folded, status: 'suspended' })).toEqual([b]);
      expect(await search({ q: '100%_' })).toEqual(expect.arrayContaining([b]));
      expect(await search({ q: `${folded}%` })).toEqual([]);
      const code = (await getMember(a).expect(200)).body.registrationCode;
      expect(await search({ q: code })).toEqual([a]);
      const first = await m.http.get('/members').query({ q: folded, limit: 1 }).set(auth()).expect(200);
      expect(first.body.items).toHaveLength(1);
      const second = await m.http
        .get('/members')
        .query({ q: folded, limit: 1, cursor: first.body.nextCursor })
        .set(auth())
        .expect(200);
      expect([first.body.items[0].id, second.body.items[0].id].sort()).toEqual([a, b].sort());
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      ['a search over 200 characters', { q: 'x'.repeat(201) }],
      ['a search with a control character', { q: 'a\u0007b' }],
      ['a repeated search', 'q=a&q=b'],
    ])('refuses %s with a 400 naming q', async (_, query) => {
      const response = await m.http.get('/members').query(query).set(auth()).expect(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['q']);
    });

    it('is the coordinator’s; unknown ids are 404, malformed ones 400', async () => {
      await m.http.get('/members').expect(401);
      await m.http
        .get('/members')
        .set('Authorization', `Bearer ${tokenWithRoles(['member'])}`)
        .expect(403);
      expect((await getMember('00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe('MEMBER_NOT_FOUND');
      await getMember('nope').expect(400);
    });
  });
});
