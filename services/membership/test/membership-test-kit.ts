import { INestApplication } from '@nestjs/common';
import { decodeEvent, restorePersonalFields, sealedPersonalOf, Topics, TypedEvent } from '@valley/contracts';
import { getDataSourceToken } from '@nestjs/typeorm';
import { openPersonalParts, OutboxMessage, OutboxRelay, personalDataMasterKey, unwrapDataKey } from '@valley/messaging';
import { serviceDatabaseUrl, serviceDataSourceOptions, serviceRole } from '@valley/platform';
import { coordinatorToken, startTestApp } from '@valley/platform/testing';
import { applicationBody } from '@valley/testing';
import request from 'supertest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MembershipAppModule } from '../src/app.module';
import { Application } from '../src/applications/application.entity';
import { membershipDatabase } from '../src/database/membership-database';
import { randomLithuanianCompanyCode } from '@valley/contracts';
import { HistoryEntry } from '../src/history/history-entry.entity';
import { Member } from '../src/members/member.entity';
import { MembershipConfig } from '../src/membership.config';

/**
 * A valid application body: the shared factory's, with a Lithuanian company code that carries a
 * valid check digit (the shared factory's random code usually does not).
 */
export function validApplicationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return applicationBody({ registrationCode: randomLithuanianCompanyCode(), ...overrides });
}

export async function startMembership(topicPrefix: string, env: Record<string, string> = {}) {
  const app = await startTestApp({
    service: 'membership',
    configClass: MembershipConfig,
    module: (config) => MembershipAppModule.forRoot(config),
    topicPrefix,
    env,
  });
  return new MembershipHarness(app);
}

/** The running app, its database, and the HTTP calls the tests make. */
export class MembershipHarness {
  readonly db: DataSource;

  constructor(readonly app: INestApplication) {
    this.db = app.get<DataSource>(getDataSourceToken());
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  get relay(): OutboxRelay {
    return this.app.get(OutboxRelay);
  }

  /** Everything a refused request must leave untouched. */
  async snapshot() {
    return {
      applications: await this.db.getRepository(Application).find({ order: { id: 'ASC' } }),
      members: await this.db.getRepository(Member).find({ order: { id: 'ASC' } }),
      history: await this.db.getRepository(HistoryEntry).count(),
      outbox: await this.db.getRepository(OutboxMessage).count(),
    };
  }

  submit(body: unknown) {
    return this.http.post('/applications').send(body as object);
  }

  /** POST /applications/:id/<step> as a coordinator. */
  decide(id: string, step: string, body: object = {}, token = coordinatorToken()) {
    return this.http.post(`/applications/${id}/${step}`).set('Authorization', `Bearer ${token}`).send(body);
  }

  /** A submitted application (and its token). */
  async applied(overrides: Record<string, unknown> = {}) {
    const response = await this.submit(validApplicationBody(overrides)).expect(201);
    return response.body as { id: string; organisationId: string; applicantToken: string };
  }

  /** An admitted member's id. */
  async admitted(overrides: Record<string, unknown> = {}): Promise<string> {
    const { id } = await this.applied(overrides);
    return (await this.decide(id, 'admit').expect(201)).body.memberId;
  }

  /** Event types in the outbox for one organisation, in outbox (publication) order. */
  /** The lifecycle events recorded for an organisation, oldest first. */
  async outboxTypes(organisationId: string): Promise<string[]> {
    const rows = await this.db
      .getRepository(OutboxMessage)
      .find({ where: { messageKey: organisationId, topic: Topics.MembershipLifecycle }, order: { id: 'ASC' } });
    return rows.map((r) => r.eventType);
  }

  async lastEvent(organisationId: string) {
    const rows = await this.db.getRepository(OutboxMessage).find({
      where: { messageKey: organisationId, topic: Topics.MembershipLifecycle },
      order: { id: 'DESC' },
      take: 1,
    });
    if (!rows[0]) return undefined;
    // Every event membership writes must pass the contract its consumers validate against.
    const decoded = decodeEvent(JSON.stringify(rows[0].envelope));
    if (!decoded.ok) throw new Error(`outbox row ${rows[0].id} breaks its contract: ${JSON.stringify(decoded)}`);
    return (await this.opened(decoded.event)) as unknown as { type: string; payload: Record<string, unknown> };
  }

  /**
   * The event as a consumer reads it: its sealed personal fields opened with the organisation's key
   * (the test app runs with the DEV ONLY master key). A sealed event must hold no contact in the clear.
   */
  async opened(event: TypedEvent): Promise<TypedEvent> {
    const sealed = sealedPersonalOf(event);
    if (sealed === undefined) return event;
    if ('contact' in event.payload) throw new Error(`event ${event.eventId} has its contact sealed and in the clear`);
    const [key] = await this.db.query(
      `SELECT wrapped_key FROM membership.organisation_keys WHERE organisation_id = $1`,
      [event.aggregateId],
    );
    const dataKey = await unwrapDataKey(key.wrapped_key, personalDataMasterKey(undefined), event.aggregateId);
    return restorePersonalFields(event, await openPersonalParts(sealed, dataKey, event.aggregateId));
  }
}

/**
 * A test database of the suite's own (`<test database>_<suffix>`) with a fresh, migrated membership
 * schema owned by the membership role; returns the membership role's URL for it. For suites that must
 * not share the outbox table with suites running in parallel.
 */
export async function ownMembershipDatabase(suffix: string): Promise<string> {
  const adminUrl = new URL(process.env.VALLEY_TEST_DATABASE_URL!);
  const database = `${adminUrl.pathname.slice(1)}_${suffix}`;
  if (!/^[a-z0-9_]*test[a-z0-9_]*$/.test(database)) throw new Error(`refusing database ${database}`);
  const role = serviceRole('membership');
  const server = new Client({
    connectionString: Object.assign(new URL(adminUrl), { pathname: '/postgres' }).toString(),
  });
  await server.connect();
  try {
    const { rowCount } = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await server.query(`CREATE DATABASE "${database}"`);
  } finally {
    await server.end();
  }
  adminUrl.pathname = `/${database}`;
  const db = new Client({ connectionString: adminUrl.toString() });
  await db.connect();
  try {
    await db.query(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${database}" TO "${role}"`);
    await db.query('DROP SCHEMA IF EXISTS membership CASCADE');
    await db.query(`CREATE SCHEMA membership AUTHORIZATION "${role}"`);
    await db.query(`ALTER ROLE "${role}" IN DATABASE "${database}" SET search_path = membership`);
  } finally {
    await db.end();
  }
  const url = serviceDatabaseUrl(adminUrl.toString(), 'membership');
  const migrations = await new DataSource(
    serviceDataSourceOptions({ url, schema: 'membership', ...membershipDatabase, poolSize: 1 }),
  ).initialize();
  try {
    await migrations.runMigrations({ transaction: 'each' });
  } finally {
    await migrations.destroy();
  }
  return url;
}
