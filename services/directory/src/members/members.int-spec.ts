import { deadLetterTopic } from '@valley/contracts';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '@valley/platform';
import { scrapeMetrics, testServiceEnv } from '@valley/platform/testing';
import { DirectoryConfig } from '../directory.config';
import { rebuildDirectory } from '../rebuild/rebuild';
import { admitted, ended, MEMBERSHIP_TOPIC, nextInstant, profileUpdated, reinstated, suspended } from '@valley/testing';
import { DirectoryHarness } from '../../test/directory-harness';

/**
 * The directory against the real Kafka and Postgres: events published as membership does,
 * consumed by the live consumer, read back over HTTP. Other suites share the database, so every
 * member here carries this run's tag in its statement and searches are scoped by it.
 */
describe('directory: projection and search', () => {
  const harness = new DirectoryHarness();
  const tag = `zq${randomBytes(4).toString('hex').replace(/\d/g, 'x')}`;
  const get = (path: string) => request(harness.http()).get(path);
  const ids = (body: { items: { id: string }[] }) => body.items.map((m) => m.id);
  const search = async (params: string) => (await get(`/members?q=${tag}&limit=100&${params}`).expect(200)).body;

  beforeAll(async () => {
    await harness.start();
  }, 60_000);
  afterAll(() => harness.stop());

  describe('lifecycle', () => {
    it('admission lists a consenting member with its public fields, the contact only with consent', async () => {
      const withContact = admitted({
        legalName: 'Pažangios Inovacijos UAB',
        statement: `Coordinator of the cluster ${tag}.`,
        logoUrl: 'https://pi.example/logo.png',
        contact: { name: 'Rūta Rūtaitė', email: 'ruta@pi.example', phone: '+37060000000', language: 'lt' },
        consent: { publicListing: true, announcements: true, publicContact: true },
      });
      const withoutContact = admitted({ legalName: 'BaltLed UAB', statement: `LEDs ${tag}` });
      const unlisted = admitted({ statement: `Hidden ${tag}`, consent: { publicListing: false, announcements: true } });
      await harness.publish(withContact, withoutContact, unlisted);

      const profile = (await get(`/members/${withContact.payload.memberId}`).expect(200)).body;
      expect(profile).toMatchObject({
        id: withContact.payload.memberId,
        legalName: 'Pažangios Inovacijos UAB',
        statement: `Coordinator of the cluster ${tag}.`,
        logoUrl: 'https://pi.example/logo.png',
        contact: { name: 'Rūta Rūtaitė', email: 'ruta@pi.example', phone: '+37060000000' },
        sectorCodes: ['C28.4'],
      });
      expect(profile).not.toHaveProperty('registrationCode');
      const other = (await get(`/members/${withoutContact.payload.memberId}`).expect(200)).body;
      expect(other.contact).toBeNull();
      expect(JSON.stringify(other)).not.toContain(withoutContact.payload.contact!.email);
      await get(`/members/${unlisted.payload.memberId}`).expect(404);
      expect(ids(await search(''))).not.toContain(unlisted.payload.memberId);
    });

    it('a profile update changes only the changed fields; consent withdrawn or given takes effect at once', async () => {
      const member = admitted({ legalName: 'Senas Pavadinimas UAB', statement: `Old ${tag}`, website: 'https://a.lt' });
      const id = member.payload.memberId;
      await harness.publish(member, profileUpdated(id, { legalName: 'Naujas Pavadinimas UAB', website: null }));
      expect((await get(`/members/${id}`).expect(200)).body).toMatchObject({
        legalName: 'Naujas Pavadinimas UAB',
        website: null,
        statement: `Old ${tag}`,
      });

      await harness.publish(profileUpdated(id, { consent: { publicListing: false, announcements: true } }, 3));
      await get(`/members/${id}`).expect(404);
      expect(ids(await search(''))).not.toContain(id);

      await harness.publish(
        profileUpdated(id, { consent: { publicListing: true, announcements: true, publicContact: true } }, 4),
      );
      expect((await get(`/members/${id}`).expect(200)).body.contact).toMatchObject({
        email: member.payload.contact!.email,
      });
    });

    it('suspension hides, reinstatement shows again, an ended membership removes the entry for good', async () => {
      const member = admitted({ statement: `Lifecycle ${tag}` });
      const id = member.payload.memberId;
      await harness.publish(member, suspended(id));
      await get(`/members/${id}`).expect(404);
      await harness.publish(reinstated(id));
      await get(`/members/${id}`).expect(200);
      await harness.publish(ended(id));
      await get(`/members/${id}`).expect(404);
      await harness.publish(reinstated(id));
      await get(`/members/${id}`).expect(404);
      const [row] = await harness.rows([id]);
      expect(row).toMatchObject({ status: 'ended', listed: false, contact_email: null });
    });

    it('a redelivered event changes nothing twice', async () => {
      const member = admitted({ legalName: 'Aedilis UAB', statement: `Redelivered ${tag}` });
      const id = member.payload.memberId;
      const rename = profileUpdated(id, { legalName: 'Aedilis Statyba UAB' });
      await harness.publish(member, rename);
      const before = await harness.rows([id]);
      // The admission again (as after a relay crash): the inbox skips it, the rename stays.
      await harness.publish(JSON.stringify(member), JSON.stringify(rename));
      expect(await harness.rows([id])).toEqual(before);
      expect((await get(`/members/${id}`).expect(200)).body.legalName).toBe('Aedilis Statyba UAB');
      const inbox = await harness.db.query(
        'SELECT count(*)::int AS n FROM directory.inbox_messages WHERE event_id = ANY($1::uuid[])',
        [[member.eventId, rename.eventId]],
      );
      expect(inbox.rows[0].n).toBe(2);
      // Skipped, not failed: a redelivery that failed would leave the same rows and inbox, and be on
      // the dead-letter topic by the time the group is past it.
      const letters = await harness.kafka.readAll(deadLetterTopic('directory'), 0);
      expect(letters.filter((m) => [member.eventId, rename.eventId].some((e) => m.value?.includes(e)))).toEqual([]);
    });

    it('an event older than what the entry reflects changes nothing (out-of-order arrival)', async () => {
      const member = admitted({ statement: `Late ${tag}` });
      const id = member.payload.memberId;
      const newer = profileUpdated(id, { description: 'Newest description.' }, 3);
      const older = profileUpdated(
        id,
        { description: 'Older description.' },
        2,
        new Date(Date.parse(newer.occurredAt) - 500),
      );
      const lateSuspension = suspended(id, new Date(Date.parse(newer.occurredAt) - 400));
      await harness.publish(member, newer, older, lateSuspension);
      const profile = (await get(`/members/${id}`).expect(200)).body;
      expect(profile.description).toBe('Newest description.');
    });

    it('several events of one member in one batch are applied in order', async () => {
      const member = admitted({ legalName: 'Proftools UAB', statement: `Batch ${tag}` });
      const id = member.payload.memberId;
      const other = admitted({ legalName: 'Prezicika Metrology UAB', statement: `Batch ${tag}` });
      await harness.publishBatch([
        member,
        other,
        profileUpdated(id, { legalName: 'Proftools Įrankiai UAB' }),
        suspended(id),
        reinstated(id),
        profileUpdated(id, { sizeClass: 'large' }, 3),
        suspended(other.payload.memberId),
      ]);
      expect((await get(`/members/${id}`).expect(200)).body).toMatchObject({
        legalName: 'Proftools Įrankiai UAB',
        sizeClass: 'large',
      });
      await get(`/members/${other.payload.memberId}`).expect(404);
    });
  });

  describe('search', () => {
    const f = {
      baltic: admitted({
        legalName: 'Šiaurės Šviesos Gamyba UAB',
        statement: `Optics ${tag}`,
        description: 'Precision lenses and lighting.',
        sectorCodes: ['C26.70'],
        region: 'Vilniaus apskritis',
        focusAreas: ['innovation_technologies', 'international_development'],
        organisationType: 'business',
        sizeClass: 'small',
        admittedOn: '2021-03-01',
      }),
      university: admitted({
        legalName: 'Kauno Technologijos Universitetas',
        statement: `Research ${tag}`,
        description: 'Mechatronikos tyrimų centras.',
        sectorCodes: ['P85.42', 'M72.19'],
        region: 'Kauno apskritis',
        focusAreas: ['training_skills'],
        organisationType: 'science_academic',
        sizeClass: 'large',
        admittedOn: '2020-04-27',
      }),
      metal: admitted({
        legalName: 'Metalo Apdirbimas UAB',
        statement: `Machining ${tag}`,
        description: 'CNC frezavimas ir tekinimas.',
        sectorCodes: ['C25.62'],
        region: 'Kauno apskritis',
        focusAreas: ['innovation_technologies'],
        organisationType: 'business',
        sizeClass: 'medium',
        admittedOn: '2023-09-15',
      }),
      latvian: admitted({
        legalName: 'Rīgas Elektronika SIA',
        statement: `Electronics ${tag}`,
        country: 'LV',
        region: 'Rīga',
        sectorCodes: ['C26.11'],
        focusAreas: ['cluster_partnerships'],
        organisationType: 'business',
        sizeClass: 'micro',
        admittedOn: '2024-01-10',
      }),
    };
    const scope = `${tag}-search`;
    const all = Object.values(f).map((e) => {
      e.payload.statement = `${e.payload.statement} ${scope}`;
      return e;
    });
    const find = async (params: string) =>
      (await get(`/members?q=${encodeURIComponent(scope)}&limit=100&${params}`).expect(200)).body;
    const id = (key: keyof typeof f) => f[key].payload.memberId;

    beforeAll(() => harness.publish(...all), 60_000);

    it('finds with or without Lithuanian diacritics, by prefix, with small typos, in description and statement', async () => {
      expect(ids((await get(`/members?q=${encodeURIComponent(`Siaures sviesos ${scope}`)}`).expect(200)).body)).toEqual(
        [id('baltic')],
      );
      expect(
        ids((await get(`/members?q=${encodeURIComponent('Šiaurės Šviesos')}&limit=100`).expect(200)).body),
      ).toContain(id('baltic'));
      expect(ids((await get('/members?q=Siaures%20Sviesos&limit=100').expect(200)).body)).toContain(id('baltic'));
      expect(ids((await get(`/members?q=${encodeURIComponent(`Metal ${scope}`)}`).expect(200)).body)).toEqual([
        id('metal'),
      ]);
      // typos: letters swapped, a letter missing
      expect(ids((await get('/members?q=Metalo%20Apdribimas&limit=100').expect(200)).body)).toContain(id('metal'));
      expect(ids((await get('/members?q=Metlao&limit=100').expect(200)).body)).toContain(id('metal'));
      expect(ids((await get('/members?q=Siaures%20Sviess%20Gamyba&limit=100').expect(200)).body)).toContain(
        id('baltic'),
      );
      // description and statement
      expect(ids((await get(`/members?q=${encodeURIComponent(`frezavimas ${scope}`)}`).expect(200)).body)).toEqual([
        id('metal'),
      ]);
      expect(ids((await get(`/members?q=${encodeURIComponent(`Research ${scope}`)}`).expect(200)).body)).toEqual([
        id('university'),
      ]);
      // relevance: the name match first
      const ranked = ids((await get(`/members?q=${encodeURIComponent(`Kauno ${scope}`)}`).expect(200)).body);
      expect(ranked[0]).toBe(id('university'));
    });

    it('filters by NACE section or division, region, country, focus area, type, size and member-since range', async () => {
      expect(ids(await find('sector=C&sort=name')).sort()).toEqual([id('baltic'), id('metal'), id('latvian')].sort());
      expect(ids(await find('sector=C26')).sort()).toEqual([id('baltic'), id('latvian')].sort());
      expect(ids(await find('sector=C26.11'))).toEqual([id('latvian')]);
      expect(ids(await find('sector=M&sector=C25')).sort()).toEqual([id('university'), id('metal')].sort());
      expect(ids(await find(`region=${encodeURIComponent('Kauno apskritis')}`)).sort()).toEqual(
        [id('university'), id('metal')].sort(),
      );
      expect(ids(await find('country=LV'))).toEqual([id('latvian')]);
      expect(ids(await find('focusArea=innovation_technologies')).sort()).toEqual([id('baltic'), id('metal')].sort());
      expect(ids(await find('organisationType=science_academic'))).toEqual([id('university')]);
      expect(ids(await find('sizeClass=micro&sizeClass=small')).sort()).toEqual([id('baltic'), id('latvian')].sort());
      expect(ids(await find('memberSinceFrom=2021-01-01&memberSinceTo=2023-12-31')).sort()).toEqual(
        [id('baltic'), id('metal')].sort(),
      );
      expect(ids(await find('sector=C&region=Kauno%20apskritis'))).toEqual([id('metal')]);
    });

    it('sorts by name and by member since', async () => {
      expect(ids(await find('sort=name'))).toEqual([id('university'), id('metal'), id('latvian'), id('baltic')]);
      expect(ids(await find('sort=memberSince'))).toEqual([id('university'), id('baltic'), id('metal'), id('latvian')]);
      expect(ids(await find('sort=-memberSince'))).toEqual([
        id('latvian'),
        id('metal'),
        id('baltic'),
        id('university'),
      ]);
    });

    it('counts facets under the query, each under the other filters but not its own', async () => {
      const body = await find('sector=C&region=Kauno%20apskritis');
      expect(body.total).toBe(1);
      const count = (facet: string, value: string) =>
        body.facets[facet].find((v: { value: string }) => v.value === value)?.count ?? 0;
      // region facet: the sector filter applies, the region filter does not
      expect(count('region', 'Kauno apskritis')).toBe(1);
      expect(count('region', 'Vilniaus apskritis')).toBe(1);
      expect(count('region', 'Rīga')).toBe(1);
      // sector facet: the region filter applies, the sector filter does not
      expect(count('sector', 'C')).toBe(1);
      expect(count('sector', 'M')).toBe(1);
      expect(count('sector', 'M72')).toBe(1);
      expect(count('sector', 'P')).toBe(1);
      // the other facets: both filters apply
      expect(body.facets.sizeClass).toEqual([{ value: 'medium', count: 1 }]);
      expect(body.facets.memberSinceYear).toEqual([{ value: '2023', count: 1 }]);
      expect(body.facets.country).toEqual([{ value: 'LT', count: 1 }]);
      expect(body.facets.focusArea).toEqual([{ value: 'innovation_technologies', count: 1 }]);
      expect(body.facets.organisationType).toEqual([{ value: 'business', count: 1 }]);

      const panel = (await get(`/facets?q=${encodeURIComponent(scope)}`).expect(200)).body;
      expect(panel.sector).toEqual(
        expect.arrayContaining([
          { value: 'C', count: 3 },
          { value: 'C26', count: 2 },
          { value: 'C25', count: 1 },
        ]),
      );
      expect(panel.country).toEqual([
        { value: 'LT', count: 3 },
        { value: 'LV', count: 1 },
      ]);
      const everything = (await get('/facets').expect(200)).body;
      expect(everything.country.find((v: { value: string }) => v.value === 'LV').count).toBeGreaterThanOrEqual(1);
    });

    it('answers with ETag and Cache-Control, and 304 to a matching If-None-Match', async () => {
      for (const path of [`/members/${id('metal')}`, `/members?q=${scope}`, '/facets']) {
        const first = await get(path).expect(200);
        expect(first.headers.etag).toBeDefined();
        expect(first.headers['cache-control']).toContain('max-age');
        await request(harness.http()).get(path).set('If-None-Match', first.headers.etag).expect(304);
      }
    });
  });

  describe('readiness', () => {
    it('reports the search index on /health: members indexed and the last read of the table', async () => {
      const health = (await get('/health').expect(200)).body;
      expect(health.info.searchIndex).toEqual({
        status: 'up',
        members: expect.any(Number),
        lastReadMsAgo: expect.any(Number),
      });
      expect(health.info.searchIndex.members).toBeGreaterThan(0);
      expect(health.info.searchIndex.lastReadMsAgo).toBeLessThan(10_000);
    });
  });

  describe('answer cache', () => {
    const scope = `${tag}-cache`;
    const member = admitted({ legalName: 'Kešo Bandymas UAB', statement: `Cached ${scope}`, sizeClass: 'medium' });
    const path = `/members?q=${encodeURIComponent(scope)}&sizeClass=medium`;
    const answers = async () => {
      const { text } = await scrapeMetrics(harness.app);
      const count = (source: string) =>
        Number(new RegExp(`valley_directory_search_answers_total\\{source="${source}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return { cache: count('cache'), index: count('index') };
    };

    beforeAll(() => harness.publish(member), 60_000);

    it('keeps the answer of a search asked twice, the same bytes, until the index changes', async () => {
      const before = await answers();
      const [first, second, third] = [await get(path).expect(200), await get(path).expect(200), await get(path)];
      expect(third.status).toBe(200);
      expect(second.text).toBe(first.text);
      expect(third.text).toBe(first.text);
      expect(third.headers.etag).toBe(first.headers.etag);
      // computed when first asked and again when asked a second time (then kept), from the cache after
      expect(await answers()).toEqual({ cache: before.cache + 1, index: before.index + 2 });

      await harness.publish(profileUpdated(member.payload.memberId, { legalName: 'Kešo Bandymas ir Ko UAB' }));
      const changed = await get(path).expect(200);
      expect(changed.body.items.map((m: { legalName: string }) => m.legalName)).toEqual(['Kešo Bandymas ir Ko UAB']);
      expect(
        await get(path)
          .expect(200)
          .then((r) => r.text),
      ).toBe(changed.text);
      // a URL asked before: kept again from its first answer after the change
      expect(await answers()).toEqual({ cache: before.cache + 2, index: before.index + 3 });
    });
  });

  describe('pagination', () => {
    const scope = `${tag}-pages`;
    const members = Array.from({ length: 260 }, (_, i) =>
      admitted(
        {
          legalName: `${['Alfa', 'Beta', 'Gama', 'Delta'][i % 4]} ${String(i).padStart(3, '0')} UAB`,
          statement: `Paged ${scope}`,
          admittedOn: `20${20 + (i % 6)}-0${1 + (i % 9)}-1${i % 10}`,
        },
        nextInstant(),
      ),
    );

    beforeAll(() => harness.publishBatch(members), 120_000);

    it.each(['name', 'memberSince', '-memberSince', 'relevance'])(
      'walks more than 250 results by %s without gaps or repeats',
      async (sort) => {
        const seen: string[] = [];
        const keys: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const path: string = `/members?q=${scope}&sort=${sort}&limit=37${cursor ? `&cursor=${cursor}` : ''}&facets=false`;
          const body = (await get(path).expect(200)).body;
          expect(body.total).toBe(260);
          seen.push(...ids(body));
          keys.push(
            ...body.items.map((m: { legalName: string; memberSince: string }) =>
              sort === 'name' ? m.legalName.toLowerCase() : m.memberSince,
            ),
          );
          cursor = body.nextCursor;
          pages++;
        } while (cursor);
        expect(pages).toBe(Math.ceil(260 / 37));
        expect(new Set(seen).size).toBe(260);
        expect(seen.sort()).toEqual(members.map((m) => m.payload.memberId).sort());
        if (sort === 'name' || sort === 'memberSince') expect(keys).toEqual([...keys].sort());
        if (sort === '-memberSince') expect(keys).toEqual([...keys].sort().reverse());
      },
    );
  });

  describe('bad input', () => {
    it('names unknown parameters and malformed values with a 400', async () => {
      const cases: [string, string][] = [
        ['/members?colour=red', 'colour'],
        ['/members?limit=101', 'limit'],
        ['/members?limit=abc', 'limit'],
        ['/members?sector=Z99', 'sector'],
        ['/members?country=Lithuania', 'country'],
        ['/members?focusArea=sports', 'focusArea'],
        ['/members?organisationType=company', 'organisationType'],
        ['/members?sizeClass=huge', 'sizeClass'],
        ['/members?memberSinceFrom=2020-13-01', 'memberSinceFrom'],
        ['/members?memberSinceTo=yesterday', 'memberSinceTo'],
        ['/members?sort=popularity', 'sort'],
        ['/members?sort=relevance', 'sort'],
        ['/members?q=%21%21%21', 'q'],
        ['/members?cursor=garbage', 'cursor'],
        ['/facets?limit=5', 'limit'],
        ['/members/not-a-uuid', 'id'],
      ];
      for (const [path, field] of cases) {
        const body = (await get(path).expect(400)).body;
        expect(body.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
    });

    it('refuses a cursor from another query', async () => {
      const first = (await get(`/members?q=${tag}&limit=1&sort=name`).expect(200)).body;
      expect(first.nextCursor).toEqual(expect.any(String));
      const body = (await get(`/members?q=other&limit=1&sort=name&cursor=${first.nextCursor}`).expect(400)).body;
      expect(body.fields).toEqual([{ field: 'cursor', messages: [expect.stringContaining('another query')] }]);
    });

    it('documents the API at /docs', async () => {
      const docs = (await get('/docs/openapi.json').expect(200)).body;
      expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/members', '/members/{id}', '/facets']));
      expect(docs.paths['/members'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['q', 'sector', 'region', 'cursor', 'limit', 'sort', 'memberSinceFrom']),
      );
    });
  });

  // Last, because the rebuild empties the whole directory table (as it does in production).
  describe('rebuild', () => {
    it('replays the whole history of this suite into exactly what live processing built', async () => {
      const history = await harness.kafka.readAll(MEMBERSHIP_TOPIC, 0);
      const memberIds = [...new Set(history.map((m) => m.key!))];
      const live = await harness.rows(memberIds);
      expect(live.length).toBeGreaterThan(270);

      await harness.app.close();
      const result = await rebuildDirectory(loadConfig(DirectoryConfig, testServiceEnv('directory', harness.prefix)));
      expect(result.events).toBe(history.length);
      expect(await harness.rows(memberIds)).toEqual(live);
      await harness.startApp();
      expect((await get(`/members?q=${tag}&limit=1`).expect(200)).body.total).toBe(live.filter((r) => r.listed).length);
    }, 60_000);
  });
});
