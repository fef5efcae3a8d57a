import { INestApplication } from '@nestjs/common';
import { ServiceName } from '@valley/contracts';
import { coordinatorToken } from '@valley/platform/testing';
import { applicationBody, eventually, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startService } from '../support/service-apps';

jest.setTimeout(120_000);

const MEMBER_ISSUER = 'http://membership.e2e.test';
const LINK = /\/sign-in\/link\?token=([A-Za-z0-9_-]{43})/;
const COORDINATOR = 'coordinator@export.e2e.lt';

/**
 * A member's data export (GDPR Articles 15 and 20) from every service, over HTTP, after a real
 * admission travelled through Kafka: the coordinator's `GET /members/:id/export` and the
 * member's own `GET /me/export` (a member token from a real sign-in link, checked by each
 * service against membership's keys) give the same document; secrets are in none of them.
 */
describe('data export: every service gives its part of what it holds about an organisation', () => {
  const prefix = uniqueTopicPrefix();
  const smtp = new SmtpSink();
  const apps = {} as Record<ServiceName, INestApplication>;
  const http = (service: ServiceName) => request(apps[service].getHttpServer());
  const coordinator = { Authorization: `Bearer ${coordinatorToken()}` };

  beforeAll(async () => {
    await smtp.start();
    apps.membership = await startService('membership', prefix, { MEMBER_TOKEN_ISSUER: MEMBER_ISSUER });
    const memberKeys = {
      AUTH_MEMBER_ISSUER: MEMBER_ISSUER,
      AUTH_MEMBER_JWKS_URL: `${(await apps.membership.getUrl()).replace('[::1]', '127.0.0.1')}/.well-known/jwks.json`,
    };
    [apps.directory, apps.notifications, apps.reporting] = await Promise.all([
      startService('directory', prefix, memberKeys),
      startService('notifications', prefix, { ...memberKeys, SMTP_URL: smtp.url, COORDINATOR_EMAIL: COORDINATOR }),
      startService('reporting', prefix, memberKeys),
    ]);
  });

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await smtp.stop();
  });

  let memberId = '';
  let applicationId = '';
  let email = '';
  let legalName = '';
  let signInToken = '';
  let member: { Authorization: string };

  it('an admitted member that signed in is known to every service', async () => {
    email = `eksportas-${randomUUID().slice(0, 8)}@example.lt`;
    const body = applicationBody({ contact: { name: 'Ona Onaitė', email, language: 'lt' } });
    legalName = body.legalName as string;
    const submitted = await http('membership').post('/applications').send(body).expect(201);
    applicationId = submitted.body.id;
    memberId = submitted.body.organisationId;
    await http('membership').post(`/applications/${applicationId}/admit`).set(coordinator).send({}).expect(201);
    await http('membership').post('/sign-in/links').send({ email }).expect(202);
    const mail = await smtp.waitFor((m) => m.to.includes(email) && LINK.test(m.text), 30_000);
    signInToken = LINK.exec(mail.text)![1];
    const session = await http('membership').post('/sign-in/token').send({ token: signInToken }).expect(200);
    member = { Authorization: `Bearer ${session.body.accessToken}` };
    await eventually(async () => {
      await http('directory').get(`/members/${memberId}`).expect(200);
      const emails = (await http('notifications').get(`/members/${memberId}/export`).set(coordinator).expect(200)).body
        .data.emails as { template: string; status: string }[];
      expect(emails.filter((e) => e.status === 'sent').map((e) => e.template)).toEqual(
        expect.arrayContaining(['application-received', 'welcome', 'member-sign-in']),
      );
      // Read at rest: no email of its export still on its way.
      expect(emails.filter((e) => e.status === 'pending')).toEqual([]);
      const reporting = (await http('reporting').get(`/members/${memberId}/export`).set(coordinator).expect(200)).body
        .data;
      expect(reporting.applications[0]?.outcome).toBe('admitted');
    }, 60_000);
  });

  /** The coordinator's export of the member and the member's own, the same but for the time. */
  async function bothExports(service: ServiceName) {
    const byCoordinator = (await http(service).get(`/members/${memberId}/export`).set(coordinator).expect(200)).body;
    const own = (await http(service).get('/me/export').set(member).expect(200)).body;
    expect({ ...own, exportedAt: 'x' }).toEqual({ ...byCoordinator, exportedAt: 'x' });
    expect(byCoordinator).toMatchObject({ service, organisationId: memberId });
    expect(Date.parse(byCoordinator.exportedAt)).not.toBeNaN();
    const text = JSON.stringify(byCoordinator);
    expect(text).not.toMatch(/hash/i);
    expect(text).not.toContain(signInToken);
    return byCoordinator.data;
  }

  it('membership: the member record, its application, the history of both, its sign-in session', async () => {
    const data = await bothExports('membership');
    expect(data.member).toMatchObject({ id: memberId, legalName, status: 'active', contact: { email } });
    expect(data.applications.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [applicationId, 'admitted'],
    ]);
    const subjects = new Set(data.history.map((h: { subjectId: string }) => h.subjectId));
    expect(subjects).toEqual(new Set([memberId, applicationId]));
    expect(data.sessions).toHaveLength(1);
    expect(data.sessions[0]).toMatchObject({ subject: email, endedAt: null });
  });

  it('directory: its entry with every field, the hidden ones and their visibility included', async () => {
    const data = await bothExports('directory');
    expect(data.entry).toMatchObject({ memberId, legalName, listed: true, contactEmail: email });
    expect(data.entry.visibility).toBeDefined();
    expect(data.entry).not.toHaveProperty('changedXid');
  });

  it('notifications: its contact, the emails to it and about it (to the coordinator), no unsubscribe, no bounce', async () => {
    const data = await bothExports('notifications');
    expect(data.contact).toMatchObject({ organisationId: memberId, email, language: 'lt', status: 'active' });
    const emails = data.emails as { recipient: string; recipientKind: string; template: string }[];
    expect(emails.filter((e) => e.recipient === email).map((e) => e.template)).toEqual(
      expect.arrayContaining(['application-received', 'welcome', 'member-sign-in']),
    );
    expect(emails.some((e) => e.recipient === COORDINATOR && e.recipientKind === 'coordinator')).toBe(true);
    expect(emails.every((e) => !('traceparent' in e))).toBe(true);
    // The announcements of its admission went to other members, with their names: not in its export.
    expect(emails.filter((e) => e.template === 'announcement' && e.recipient !== email)).toEqual([]);
    expect(data.unsubscribes).toEqual([]);
    expect(data.bouncing).toBeNull();
  });

  it('reporting: its membership, its intervals and its application, and nothing personal', async () => {
    const data = await bothExports('reporting');
    expect(data.memberships).toEqual([
      expect.objectContaining({ memberId, seq: 1, membershipType: 'full', endedAt: null }),
    ]);
    expect(data.intervals.length).toBeGreaterThan(0);
    expect(data.applications).toEqual([expect.objectContaining({ applicationId, outcome: 'admitted' })]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(email);
    expect(text).not.toContain(legalName);
  });

  it('is a coordinator’s (any member) or the member’s own (its own only): 401, 403 and 400 otherwise', async () => {
    for (const service of ['membership', 'directory', 'notifications', 'reporting'] as const) {
      await http(service).get(`/members/${memberId}/export`).expect(401);
      await http(service).get(`/members/${memberId}/export`).set(member).expect(403);
      await http(service).get('/me/export').expect(401);
      await http(service).get('/me/export').set(coordinator).expect(403);
      const bad = await http(service).get('/members/not-an-id/export').set(coordinator).expect(400);
      expect(JSON.stringify(bad.body)).toContain('id');
    }
  });

  it('answers for an organisation it knows nothing of with empty sections', async () => {
    const unknown = randomUUID();
    const parts = await Promise.all(
      (['membership', 'directory', 'notifications', 'reporting'] as const).map(
        async (service) =>
          (await http(service).get(`/members/${unknown}/export`).set(coordinator).expect(200)).body.data,
      ),
    );
    expect(parts).toEqual([
      { member: null, applications: [], history: [], sessions: [] },
      { entry: null },
      { contact: null, emails: [], unsubscribes: [], bouncing: null },
      { memberships: [], intervals: [], applications: [] },
    ]);
  });
});
