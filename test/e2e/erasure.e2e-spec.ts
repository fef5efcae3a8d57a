import { INestApplication } from '@nestjs/common';
import { ServiceName, Topics } from '@valley/contracts';
import { loadConfig } from '@valley/platform';
import { coordinatorToken, testServiceEnv } from '@valley/platform/testing';
import { applicationBody, eventually, KafkaTestClient, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DirectoryConfig } from '../../services/directory/src/directory.config';
import { rebuildDirectory } from '../../services/directory/src/rebuild/rebuild';
import { rebuildReporting } from '../../services/reporting/src/rebuild/rebuild';
import { ReportingConfig } from '../../services/reporting/src/reporting.config';
import { startService } from '../support/service-apps';

jest.setTimeout(180_000);

/** Personal data no other organisation or test has: what must be found nowhere after erasure. */
function person(tag: string) {
  const id = randomBytes(5).toString('hex');
  return {
    name: `${tag} Zxq${id}`,
    email: `${tag.toLowerCase()}-${id}@erasure.example.lt`,
    phone: `+3706${String(parseInt(id, 16) % 10_000_000).padStart(7, '0')}`,
    description: `Aprašymas ${tag} ${id}, parašytas asmens.`,
    statement: `Pareiškimas ${tag} ${id}.`,
  };
}

/**
 * Erasure (GDPR Art. 17) through the four real services, the real Kafka and Postgres: an ended
 * member and a rejected applicant are erased; afterwards the lifecycle topic, read from offset 0,
 * holds none of their personal data readable, no service's tables hold it, and rebuilding the
 * directory and reporting from that history gives what live processing has, while a member that
 * was not erased keeps every field.
 */
describe('erasure: an organisation’s personal data leaves every copy, Kafka’s history included', () => {
  const prefix = uniqueTopicPrefix();
  const smtp = new SmtpSink();
  const kafka = new KafkaTestClient((process.env.VALLEY_TEST_KAFKA_BROKERS ?? '').split(','), prefix);
  const apps = {} as Record<ServiceName, INestApplication>;
  const http = (service: ServiceName) => request(apps[service].getHttpServer());
  const coordinator = { Authorization: `Bearer ${coordinatorToken()}` };
  /** The test's own connection (the services' close with them): it reads every schema. */
  const db = new DataSource({ type: 'postgres', url: process.env.VALLEY_TEST_DATABASE_URL });

  const erased = person('Ištrinta');
  const rejected = person('Atmesta');
  const kept = person('Lieka');
  const ids = { erased: '', rejectedApplication: '', rejectedOrganisation: '', kept: '' };

  beforeAll(async () => {
    await smtp.start();
    await db.initialize();
    const services: ServiceName[] = ['membership', 'directory', 'notifications', 'reporting'];
    await Promise.all(
      services.map(async (service) => {
        apps[service] = await startService(service, prefix, service === 'notifications' ? { SMTP_URL: smtp.url } : {});
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close().catch(() => undefined)));
    await kafka.close();
    await db.destroy();
    await smtp.stop();
  });

  async function apply(who: ReturnType<typeof person>) {
    const body = applicationBody({
      legalName: `Bandomoji ${who.name.split(' ')[1]} UAB`,
      description: who.description,
      contact: { name: who.name, email: who.email, phone: who.phone, language: 'lt' },
      consent: { publicListing: true, announcements: false },
    });
    const answer = await http('membership').post('/applications').send(body);
    expect({ status: answer.status, body: answer.status === 201 ? 'ok' : answer.body }).toEqual({
      status: 201,
      body: 'ok',
    });
    return answer.body as {
      id: string;
      organisationId: string;
    };
  }

  it('an ended member, a rejected applicant and a member that stays are known to every service', async () => {
    const first = await apply(erased);
    ids.erased = first.organisationId;
    await http('membership').post(`/applications/${first.id}/admit`).set(coordinator).send({}).expect(201);
    // A profile change: its statement and its contact travel sealed in MemberProfileUpdated.
    await http('membership')
      .patch(`/members/${ids.erased}`)
      .set(coordinator)
      .set('If-Match', '"1"')
      .send({
        statement: erased.statement,
        contact: { name: erased.name, email: erased.email, phone: erased.phone, language: 'en' },
      })
      .expect(200);
    const second = await apply(kept);
    ids.kept = second.organisationId;
    await http('membership').post(`/applications/${second.id}/admit`).set(coordinator).send({}).expect(201);
    const third = await apply(rejected);
    ids.rejectedApplication = third.id;
    ids.rejectedOrganisation = third.organisationId;
    await http('membership')
      .post(`/applications/${third.id}/reject`)
      .set(coordinator)
      .send({ reason: 'Veikla nesusijusi su klasteriu.' })
      .expect(201);
    await eventually(async () => {
      for (const [id, who] of [
        [ids.erased, erased],
        [ids.kept, kept],
      ] as const) {
        const { entry } = (await http('directory').get(`/members/${id}/export`).set(coordinator).expect(200)).body.data;
        expect(entry).toMatchObject({ contactEmail: who.email, contactName: who.name, description: who.description });
        if (who === erased) expect(entry.statement).toBe(erased.statement);
      }
    }, 60_000);
    await http('membership')
      .post(`/members/${ids.erased}/end`)
      .set(coordinator)
      .send({ reason: 'Narys išstojo.' })
      .expect(201);
    await eventually(async () => {
      const emails = (await http('notifications').get(`/members/${ids.erased}/export`).set(coordinator).expect(200))
        .body.data.emails as { template: string; status: string }[];
      expect(emails.filter((e) => e.status === 'sent').map((e) => e.template)).toEqual(
        expect.arrayContaining(['application-received', 'welcome', 'membership-ended']),
      );
      const rejection = (
        await http('notifications').get(`/members/${ids.rejectedOrganisation}/export`).set(coordinator).expect(200)
      ).body.data.emails as { template: string; status: string }[];
      expect(rejection.filter((e) => e.status === 'sent').map((e) => e.template)).toContain('application-rejected');
      const reporting = (await http('reporting').get(`/members/${ids.erased}/export`).set(coordinator).expect(200)).body
        .data;
      expect(reporting.applications[0]?.outcome).toBe('admitted');
    }, 60_000);
  });

  it('the history on Kafka carries the personal fields sealed only, from the first event on', async () => {
    const history = await kafka.readAll(Topics.MembershipLifecycle);
    const mine = history.filter((m) => m.key === ids.erased);
    expect(mine.map((m) => JSON.parse(m.value!).type)).toEqual([
      'ApplicationSubmitted',
      'MemberAdmitted',
      'MemberProfileUpdated',
      'MembershipEnded',
    ]);
    for (const message of mine.slice(0, 3)) expect(JSON.parse(message.value!).payload.personal).toMatch(/^ey/);
    const text = history.map((m) => m.value).join('\n');
    for (const secret of [kept.email, kept.name, kept.phone, kept.description, erased.statement]) {
      expect(text).not.toContain(secret);
    }
  });

  it('erasing is for a coordinator, of an ended member or a rejected or withdrawn application, once', async () => {
    const body = { reason: 'Prašymas 2027-01-15 (BDAR 17 str.).', personalText: ['description'] };
    await http('membership').post(`/members/${ids.erased}/erase`).send(body).expect(401);
    const active = await http('membership').post(`/members/${ids.kept}/erase`).set(coordinator).send(body).expect(409);
    expect(active.body.code).toBe('ERASURE_NOT_ALLOWED');
    const noReason = await http('membership')
      .post(`/members/${ids.erased}/erase`)
      .set(coordinator)
      .send({})
      .expect(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const badText = await http('membership')
      .post(`/members/${ids.erased}/erase`)
      .set(coordinator)
      .send({ ...body, personalText: ['legalName'] })
      .expect(400);
    expect(JSON.stringify(badText.body)).toContain('personalText');

    const done = await http('membership').post(`/members/${ids.erased}/erase`).set(coordinator).send(body).expect(200);
    expect(done.body).toMatchObject({ id: ids.erased, organisationId: ids.erased, personalText: ['description'] });
    const again = await http('membership').post(`/members/${ids.erased}/erase`).set(coordinator).send(body).expect(409);
    expect(again.body.code).toBe('PERSONAL_DATA_ERASED');
    await http('membership')
      .post(`/applications/${ids.rejectedApplication}/erase`)
      .set(coordinator)
      .send({ reason: 'Prašymas el. paštu.', personalText: ['description', 'motivation'] })
      .expect(200);

    const member = (await http('membership').get(`/members/${ids.erased}`).set(coordinator).expect(200)).body;
    expect(member).toMatchObject({ contact: null, description: null, status: 'ended' });
    expect(Date.parse(member.erasedAt)).not.toBeNaN();
    const history = (await http('membership').get(`/members/${ids.erased}/history`).set(coordinator).expect(200)).body;
    const step = (history.items ?? history).find((h: { action: string }) => h.action === 'erased');
    expect(step).toMatchObject({ reason: body.reason, actor: expect.any(String) });
  });

  it('every service forgets: no table of any service holds the erased personal data', async () => {
    const secrets = [erased, rejected].flatMap((p) => [p.email, p.name, p.phone, p.description, p.statement]);
    await eventually(async () => {
      for (const service of ['directory', 'notifications', 'reporting']) {
        expect({ service, found: await findIn(db, service, secrets) }).toEqual({ service, found: [] });
      }
      // Membership, the record, keeps the free text not marked personal (the statement), nothing else.
      const inMembership = secrets.filter((secret) => secret !== erased.statement);
      expect({ found: await findIn(db, 'membership', inMembership) }).toEqual({ found: [] });
      expect(await findIn(db, 'membership', [erased.statement])).toEqual(['members: ' + erased.statement]);
    }, 60_000);
    // Not the one that stays.
    expect(await findIn(db, 'directory', [kept.email])).not.toEqual([]);
    expect(await findIn(db, 'notifications', [kept.email])).not.toEqual([]);
    const { entry } = (await http('directory').get(`/members/${ids.erased}/export`).set(coordinator).expect(200)).body
      .data;
    expect(entry).toMatchObject({
      contactEmail: null,
      contactName: null,
      description: null,
      statement: null,
      status: 'ended',
    });
    const keptEntry = (await http('directory').get(`/members/${ids.kept}/export`).set(coordinator).expect(200)).body
      .data.entry;
    expect(keptEntry).toMatchObject({ contactEmail: kept.email, description: kept.description });
  });

  it('read from offset 0, the topics hold nothing readable of it: sealed fields only, and its key shredded', async () => {
    const history = await kafka.readAll(Topics.MembershipLifecycle);
    const text = history.map((m) => m.value).join('\n');
    for (const p of [erased, rejected]) {
      for (const secret of [p.email, p.name, p.phone, p.description, p.statement]) expect(text).not.toContain(secret);
    }
    expect(history.filter((m) => m.key === ids.erased).map((m) => JSON.parse(m.value!).type)).toContain(
      'PersonalDataErased',
    );
    // The key that opened them: destroyed in membership, and the keys topic's latest word is its shredding.
    const keys = await kafka.readAll(Topics.MembershipKeys);
    for (const organisation of [ids.erased, ids.rejectedOrganisation]) {
      const latest = keys.filter((m) => m.key === organisation).at(-1)!;
      expect(JSON.parse(latest.value!).type).toBe('PersonalDataKeyShredded');
      const [row] = await db.query(`SELECT wrapped_key FROM membership.organisation_keys WHERE organisation_id = $1`, [
        organisation,
      ]);
      expect(row).toEqual({ wrapped_key: null });
    }
    // Compacted, so that compaction leaves only the shredding.
    expect((await kafka.topicConfig([Topics.MembershipKeys], 'cleanup.policy'))[Topics.MembershipKeys]).toBe('compact');
  });

  it('rebuilding the directory and reporting from that history gives what live processing has', async () => {
    const organisations = Object.values(ids);
    const live = {
      directory: await rowsOf(db, 'directory', 'directory_entries', organisations),
      reporting: await reportingRows(db, organisations),
    };
    expect(JSON.stringify(live.directory)).toContain(kept.email); // the rest of the history is intact
    await apps.directory.close();
    await apps.reporting.close();
    await rebuildDirectory(loadConfig(DirectoryConfig, testServiceEnv('directory', prefix)));
    await rebuildReporting(loadConfig(ReportingConfig, testServiceEnv('reporting', prefix)));
    expect({
      directory: await rowsOf(db, 'directory', 'directory_entries', organisations),
      reporting: await reportingRows(db, organisations),
    }).toEqual(live);
  });
});

/** Every row of the schema's tables whose text holds one of the values (table and value named). */
async function findIn(db: DataSource, schema: string, values: string[]): Promise<string[]> {
  const tables: { table_name: string }[] = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [schema],
  );
  const found: string[] = [];
  for (const { table_name: table } of tables) {
    const [hit] = await db.query(
      `SELECT v AS value FROM unnest($1::text[]) v
       WHERE EXISTS (SELECT 1 FROM "${schema}"."${table}" t WHERE t::text ILIKE '%' || v || '%') LIMIT 1`,
      [values],
    );
    if (hit) found.push(`${table}: ${hit.value}`);
  }
  return found;
}

/**
 * The rows of a table that name one of the organisations, as text, in a stable order; without the
 * directory's changed_xid (the transaction that wrote the row: the search index's bookkeeping).
 */
async function rowsOf(db: DataSource, schema: string, table: string, organisations: string[]): Promise<string[]> {
  const rows: { row: string }[] = await db.query(
    `SELECT (to_jsonb(t) - 'changed_xid')::text AS row FROM "${schema}"."${table}" t
     WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) o WHERE t::text LIKE '%' || o || '%')
     ORDER BY 1`,
    [organisations],
  );
  return rows.map((r) => r.row);
}

async function reportingRows(db: DataSource, organisations: string[]): Promise<Record<string, string[]>> {
  const tables: { table_name: string }[] = await db.query(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'reporting' AND table_type = 'BASE TABLE'
       AND table_name NOT IN ('inbox_messages', 'migrations', 'outbox_messages')`,
  );
  const rows: Record<string, string[]> = {};
  for (const { table_name: table } of tables) rows[table] = await rowsOf(db, 'reporting', table, organisations);
  return rows;
}
