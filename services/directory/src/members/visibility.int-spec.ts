import { randomBytes, randomUUID } from 'node:crypto';
import { FieldVisibility, TypedEvent, Visibility } from '@valley/contracts';
import { loadConfig, signToken } from '@valley/platform';
import { coordinatorToken, TEST_JWT_SECRET, testServiceEnv, tokenWithRoles } from '@valley/platform/testing';
import { admitted, MEMBERSHIP_TOPIC, profileUpdated } from '@valley/testing';
import request from 'supertest';
import { DirectoryHarness } from '../../test/directory-harness';
import { DirectoryConfig } from '../directory.config';
import { rebuildDirectory } from '../rebuild/rebuild';

/**
 * Per-field visibility (issue 14) against the real Kafka and Postgres: what an anonymous caller, a
 * member and a coordinator see of each field for each visibility, after live events and after a
 * rebuild of the same history; search and facets only on what the caller sees; Vary and
 * Cache-Control; a bad token is a 401. Searches are scoped by this run's tag, in the legal name
 * (the one text field no visibility hides).
 */
describe('directory: per-field visibility', () => {
  const harness = new DirectoryHarness();
  const tag = `zv${randomBytes(4).toString('hex').replace(/\d/g, 'y')}`;
  const callers = {
    anonymous: {},
    member: {
      authorization: `Bearer ${signToken(TEST_JWT_SECRET, 'jonas@nariai.lt', ['member'], 600, { memberId: randomUUID() })}`,
    },
    coordinator: { authorization: `Bearer ${coordinatorToken()}` },
  } satisfies Record<string, Record<string, string>>;
  type Caller = keyof typeof callers;
  const CALLERS = Object.keys(callers) as Caller[];
  const get = (path: string, caller: Caller) => request(harness.http()).get(path).set(callers[caller]);
  /** What each caller sees of a field of each visibility. */
  const seenBy: Record<Caller, Record<Visibility, boolean>> = {
    anonymous: { public: true, members: false, hidden: false },
    member: { public: true, members: true, hidden: false },
    coordinator: { public: true, members: true, hidden: false },
  };

  /** A member whose every field has this visibility, its description and statement words its own. */
  const everyField = (v: Visibility): FieldVisibility => ({
    contactName: v,
    contactEmail: v,
    contactPhone: v,
    website: v,
    description: v,
    statement: v,
    logo: v,
  });
  const word = (name: string) => `${tag}${name}`;
  const member = (name: string, visibility?: FieldVisibility, publicContact = true) =>
    admitted({
      legalName: `${tag} ${name} UAB`,
      website: `https://${name}.example`,
      description: `${word(`${name}aprasymas`)} Gamyba.`,
      statement: `${word(`${name}pareiskimas`)} Partneriai.`,
      logoUrl: `https://${name}.example/logo.png`,
      contact: { name: `Kontaktas ${name}`, email: `${name}@example.lt`, phone: '+37060000001', language: 'lt' },
      consent: { publicListing: true, announcements: false, publicContact },
      ...(visibility ? { visibility } : {}),
    });

  const byVisibility = {
    public: member('viesas', everyField('public')),
    members: member('nariams', everyField('members')),
    hidden: member('slaptas', everyField('hidden')),
  } satisfies Record<Visibility, TypedEvent<'MemberAdmitted'>>;
  /** Defaults (an event without visibility, as before issue 14): public, contact only with consent. */
  const defaults = member('numatytas', undefined, false);
  const defaultsWithContact = member('sutikimas', undefined, true);
  /** Its visibility changes in the history: the last change and consents decide. */
  const changing = member('keiciasi', everyField('public'));
  const changingId = changing.payload.memberId;
  const history: TypedEvent[] = [
    profileUpdated(
      changingId,
      { visibility: { description: 'hidden', website: 'members', contactEmail: 'members' } },
      2,
    ),
    profileUpdated(changingId, { consent: { publicListing: true, announcements: false, publicContact: false } }, 3),
    profileUpdated(
      changingId,
      { visibility: { description: 'members', statement: 'hidden', contactEmail: 'members' } },
      4,
    ),
    profileUpdated(changingId, { consent: { publicListing: true, announcements: false, publicContact: true } }, 5),
  ];
  /** What `changing` shows in the end: its last visibility, under consent given again. */
  const changingFinal: Record<string, Visibility> = {
    website: 'public',
    description: 'members',
    statement: 'hidden',
    logoUrl: 'public',
    contactName: 'public',
    contactEmail: 'members',
    contactPhone: 'public',
  };
  const everyone = [...Object.values(byVisibility), defaults, defaultsWithContact, changing];

  beforeAll(async () => {
    await harness.start();
    await harness.publish(...everyone, ...history);
  }, 90_000);
  afterAll(() => harness.stop());

  /** The profile fields a caller should see of a member, given each field's visibility. */
  function expectedProfile(
    event: TypedEvent<'MemberAdmitted'>,
    visibility: Record<string, Visibility>,
    caller: Caller,
  ) {
    const p = event.payload;
    const shown = <T>(field: string, value: T) => (seenBy[caller][visibility[field]] ? value : null);
    const contact = {
      name: shown('contactName', p.contact!.name),
      email: shown('contactEmail', p.contact!.email),
      phone: shown('contactPhone', p.contact!.phone ?? null),
    };
    return {
      id: p.memberId,
      legalName: p.legalName,
      website: shown('website', p.website),
      description: shown('description', p.description),
      statement: shown('statement', p.statement),
      logoUrl: shown('logoUrl', p.logoUrl),
      contact: Object.values(contact).some((v) => v !== null) ? contact : null,
    };
  }
  const same = (v: Visibility): Record<string, Visibility> =>
    Object.fromEntries(
      ['website', 'description', 'statement', 'logoUrl', 'contactName', 'contactEmail', 'contactPhone'].map((f) => [
        f,
        v,
      ]),
    );
  const expectations: [string, TypedEvent<'MemberAdmitted'>, Record<string, Visibility>][] = [
    ['every field public', byVisibility.public, same('public')],
    ['every field members', byVisibility.members, same('members')],
    ['every field hidden', byVisibility.hidden, same('hidden')],
    [
      'no visibility, no contact consent (defaults)',
      defaults,
      { ...same('public'), contactName: 'hidden', contactEmail: 'hidden', contactPhone: 'hidden' },
    ],
    ['no visibility, contact consent (defaults)', defaultsWithContact, same('public')],
    ['visibility changed three times, consent withdrawn and given again', changing, changingFinal],
  ];

  /** Every caller's view of every member: profile, search item, text search per field. */
  async function expectEveryView(): Promise<void> {
    for (const caller of CALLERS) {
      const list = (await get(`/members?q=${tag}&limit=100&facets=false`, caller).expect(200)).body;
      expect(list.total).toBe(everyone.length);
      for (const [, event, visibility] of expectations) {
        const expected = expectedProfile(event, visibility, caller);
        const id = event.payload.memberId;
        const profile = (await get(`/members/${id}`, caller).expect(200)).body;
        expect({ caller, ...profile }).toMatchObject({ caller, ...expected });
        expect({ caller, ...list.items.find((m: { id: string }) => m.id === id) }).toMatchObject({
          caller,
          ...expected,
        });
        // the words of a field the caller does not see do not find the member
        const name = event.payload.legalName.split(' ')[1];
        for (const [field, text] of [
          ['description', `${name}aprasymas`],
          ['statement', `${name}pareiskimas`],
        ]) {
          const found = (await get(`/members?q=${word(text)}&facets=false`, caller).expect(200)).body;
          expect({ caller, field, found: found.items.map((m: { id: string }) => m.id) }).toEqual({
            caller,
            field,
            found: seenBy[caller][visibility[field]] ? [id] : [],
          });
        }
      }
      // no answer holds a hidden field's text
      const texts = JSON.stringify(list);
      expect(texts).not.toContain(byVisibility.hidden.payload.contact!.email);
      expect(texts).not.toContain(word('slaptasaprasymas'));
    }
  }

  it('shows each field exactly to the callers its visibility allows, after live events', async () => {
    await expectEveryView();
  });

  it('a valid token with neither role sees what the public sees; a bad Authorization header is a 401', async () => {
    const id = byVisibility.members.payload.memberId;
    const noRole = `Bearer ${tokenWithRoles(['member'])}`; // a member role without memberId grants nothing
    const profile = (await request(harness.http()).get(`/members/${id}`).set('Authorization', noRole).expect(200)).body;
    expect(profile).toMatchObject({ description: null, website: null, contact: null });

    const search = `/members?q=${tag}&sort=name`;
    // asked twice: kept, so a third request would be answered by the cache's middleware
    for (let i = 0; i < 2; i++) await request(harness.http()).get(search).expect(200);
    for (const header of [
      `Bearer ${signToken('another-secret-0123456789', 'x', ['coordinator'])}`,
      `Bearer ${signToken(TEST_JWT_SECRET, 'x', ['coordinator'], -120)}`,
      'Bearer a.b.c',
      'Basic Y29vcmRpbmF0b3I6c2VjcmV0',
      '',
    ]) {
      for (const path of [search, `/members/${id}`, `/facets?q=${tag}`]) {
        const refused = await request(harness.http()).get(path).set('Authorization', header);
        expect({ header, path, status: refused.status }).toEqual({ header, path, status: 401 });
      }
    }
  });

  it('facets under a query count only members whose visible text matches', async () => {
    const q = word('nariamsaprasymas');
    const anonymous = (await get(`/facets?q=${q}`, 'anonymous').expect(200)).body;
    expect(anonymous.country).toEqual([]);
    for (const caller of ['member', 'coordinator'] as const) {
      const facets = (await get(`/facets?q=${q}`, caller).expect(200)).body;
      expect(facets.country).toEqual([{ value: 'LT', count: 1 }]);
      const page = (await get(`/members?q=${q}`, caller).expect(200)).body;
      expect(page.facets.sizeClass).toEqual([{ value: 'medium', count: 1 }]);
    }
    const page = (await get(`/members?q=${q}`, 'anonymous').expect(200)).body;
    expect(page).toMatchObject({ total: 0, items: [] });
    expect(page.facets.sizeClass).toEqual([]);
  });

  it('varies every answer by Authorization; answers to a token are private; the cache keeps them apart', async () => {
    const id = byVisibility.members.payload.memberId;
    for (const path of [`/members/${id}`, `/members?q=${tag}&limit=100`, `/facets?q=${word('nariamsaprasymas')}`]) {
      const bodies: Record<string, string> = {};
      // each asked three times: computed, kept, then answered from the cache (the middleware)
      for (const caller of ['anonymous', 'member', 'anonymous', 'coordinator', 'member', 'anonymous'] as Caller[]) {
        const answer = await get(path, caller).expect(200);
        expect({ path, caller, vary: answer.headers.vary }).toEqual({
          path,
          caller,
          vary: expect.stringMatching(/\bAuthorization\b/),
        });
        expect({ path, caller, cacheControl: answer.headers['cache-control'] }).toEqual({
          path,
          caller,
          cacheControl: caller === 'anonymous' ? 'public, max-age=5' : 'private, max-age=5',
        });
        const level = caller === 'anonymous' ? 'public' : 'members';
        bodies[level] ??= answer.text;
        expect({ path, caller, body: answer.text }).toEqual({ path, caller, body: bodies[level] });
        // an ETag of one audience's answer is no 304 for the other's
        const other = caller === 'anonymous' ? 'member' : 'anonymous';
        const revalidated = await get(path, other).set('If-None-Match', answer.headers.etag);
        expect({ path, caller, status: revalidated.status }).toEqual({ path, caller, status: 200 });
        expect(revalidated.headers.vary).toMatch(/\bAuthorization\b/);
      }
      expect(bodies.public).not.toEqual(bodies.members);
      const again = await get(path, 'member').set('If-None-Match', JSON.stringify('x')).expect(200);
      await get(path, 'member').set('If-None-Match', again.headers.etag).expect(304);
    }
  });

  it('documents the optional bearer, what each caller sees and the 401', async () => {
    const docs = (await request(harness.http()).get('/docs/openapi.json').expect(200)).body;
    for (const path of ['/members', '/members/{id}', '/facets']) {
      const operation = docs.paths[path].get;
      expect(operation['x-optional-security']).toEqual([{ bearer: [] }]);
      expect(operation.security).toBeUndefined(); // a requirement would read as "a token is needed"
      expect(operation.responses['401']).toBeDefined();
      expect(operation.description).toContain('`members`');
    }
    const contact = docs.components.schemas.PublicContactResponse.properties;
    expect(contact.email).toMatchObject({ nullable: true });
  });

  // Last: the rebuild empties the whole directory table (as it does in production).
  it('after a rebuild of the same history: the same rows, and every caller sees the same', async () => {
    const events = await harness.kafka.readAll(MEMBERSHIP_TOPIC, 0);
    const ids = [...new Set(events.map((m) => m.key!))];
    expect(ids.sort()).toEqual(everyone.map((e) => e.payload.memberId).sort());
    const live = await harness.rows(ids);
    expect(live.find((r) => r.member_id === changingId)).toMatchObject({
      visibility: { contactEmail: 'members', description: 'members', statement: 'hidden' },
      contact_consent: true,
    });
    const answers = async () =>
      Promise.all(
        CALLERS.flatMap((caller) => ids.map(async (id) => (await get(`/members/${id}`, caller).expect(200)).text)),
      );
    const liveAnswers = await answers();

    await harness.app.close();
    const result = await rebuildDirectory(loadConfig(DirectoryConfig, testServiceEnv('directory', harness.prefix)));
    expect(result.events).toBe(events.length);
    expect(await harness.rows(ids)).toEqual(live);
    await harness.startApp();
    expect(await answers()).toEqual(liveAnswers);
    await expectEveryView();
  }, 90_000);
});
