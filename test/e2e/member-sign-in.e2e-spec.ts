import { INestApplication } from '@nestjs/common';
import { coordinatorToken } from '@valley/platform/testing';
import { applicationBody, eventually, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startService } from '../support/service-apps';

jest.setTimeout(120_000);

const MEMBER_ISSUER = 'http://membership.e2e.test';
const LINK = /\/sign-in\/link\?token=([A-Za-z0-9_-]{43})/;

/**
 * A member signs in with a one-time link, end to end: membership (links, sessions, /me) and
 * notifications (the email) over the real Kafka, Postgres and SMTP server.
 */
describe('member sign-in: a one-time link by email, a session, /me', () => {
  const prefix = uniqueTopicPrefix();
  const smtp = new SmtpSink();
  let membership: INestApplication;
  let notifications: INestApplication;
  let directory: INestApplication;
  const http = () => request(membership.getHttpServer());
  const coordinator = () => ({ Authorization: `Bearer ${coordinatorToken()}` });

  beforeAll(async () => {
    await smtp.start();
    [membership, notifications] = await Promise.all([
      startService('membership', prefix, { MEMBER_TOKEN_ISSUER: MEMBER_ISSUER }),
      startService('notifications', prefix, { SMTP_URL: smtp.url, PORTAL_URL: 'https://portal.valley.test' }),
    ]);
    // The directory checks member tokens as in a deployment: membership's keys, over HTTP.
    directory = await startService('directory', prefix, {
      AUTH_MEMBER_ISSUER: MEMBER_ISSUER,
      AUTH_MEMBER_JWKS_URL: `${(await membership.getUrl()).replace('[::1]', '127.0.0.1')}/.well-known/jwks.json`,
    });
  });

  afterAll(async () => {
    await Promise.all([membership, notifications, directory].map((app) => app?.close()));
    await smtp.stop();
  });

  /** A new member (applied and admitted), with its contact address. */
  async function admittedMember(language: 'lt' | 'en' = 'lt'): Promise<{ memberId: string; email: string }> {
    const email = `kontaktas-${randomUUID().slice(0, 8)}@example.lt`;
    const body = applicationBody({ contact: { name: 'Ona Onaitė', email, language } });
    const submitted = await http().post('/applications').send(body).expect(201);
    await http().post(`/applications/${submitted.body.id}/admit`).set(coordinator()).send({}).expect(201);
    return { memberId: submitted.body.organisationId as string, email };
  }

  /** Asks for a link and waits for the email that carries it; returns its token. */
  async function linkFor(email: string, asTyped = email): Promise<string> {
    const before = smtp.messages.length;
    await http().post('/sign-in/links').send({ email: asTyped }).expect(202);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(email) && LINK.test(m.text) && smtp.messages.indexOf(m) >= before,
    );
    return LINK.exec(mail.text)![1];
  }

  it('answers a known and an unknown address alike, and only the known one gets an email', async () => {
    const { email } = await admittedMember();
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.lt`;
    const known = await http().post('/sign-in/links').send({ email }).expect(202);
    const stranger = await http().post('/sign-in/links').send({ email: unknown }).expect(202);
    expect(stranger.body).toEqual(known.body);
    await smtp.waitFor((m) => m.to.includes(email) && LINK.test(m.text));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.messages.filter((m) => m.to.includes(unknown))).toEqual([]);
  });

  it('refuses a malformed address with a 400 naming the field', async () => {
    const response = await http().post('/sign-in/links').send({ email: 'not-an-address' }).expect(400);
    expect(JSON.stringify(response.body)).toContain('email');
  });

  it('exchanges a link once for a member token that reaches its own record and nothing else', async () => {
    const { memberId, email } = await admittedMember('en');
    const token = await linkFor(email, email.toUpperCase());

    const session = await http().post('/sign-in/token').send({ token }).expect(200);
    expect(session.body).toMatchObject({ tokenType: 'Bearer', memberId, canChange: true, expiresIn: 600 });
    expect(decodeProtectedHeader(session.body.accessToken).alg).toBe('ES256');
    const claims = decodeJwt(session.body.accessToken);
    expect(claims).toMatchObject({ sub: email, roles: ['member'], memberId });
    expect(claims.exp! - claims.iat!).toBe(600);

    const again = await http().post('/sign-in/token').send({ token }).expect(401);
    expect(again.body.code).toBe('SIGN_IN_LINK_INVALID');

    const bearer = { Authorization: `Bearer ${session.body.accessToken}` };
    const me = await http().get('/me').set(bearer).expect(200);
    expect(me.body).toMatchObject({ id: memberId, status: 'active', contact: { email } });
    expect(me.body.shownInDirectory).toEqual({
      contactName: 'hidden',
      contactEmail: 'hidden',
      contactPhone: 'hidden',
      website: 'public',
      description: 'public',
      statement: 'public',
      logo: 'public',
    });
    expect(me.headers.etag).toBe(`"${me.body.version}"`);

    // Another member's record and the coordinator's endpoints are not a member's.
    const other = await admittedMember();
    await http().get(`/members/${other.memberId}`).set(bearer).expect(403);
    await http().get('/members').set(bearer).expect(403);
    await http().get('/applications').set(bearer).expect(403);
  });

  it('lets the member change its own profile and visibility with If-Match, recorded as its own act', async () => {
    const { memberId, email } = await admittedMember();
    const session = await http()
      .post('/sign-in/token')
      .send({ token: await linkFor(email) })
      .expect(200);
    const bearer = { Authorization: `Bearer ${session.body.accessToken}` };
    const me = await http().get('/me').set(bearer).expect(200);

    await http().patch('/me').set(bearer).send({ website: 'https://tiksli.example.lt' }).expect(428);
    const bad = await http()
      .patch('/me')
      .set(bearer)
      .set('If-Match', me.headers.etag)
      .send({ visibility: { description: 'friends' } })
      .expect(400);
    expect(JSON.stringify(bad.body.fields)).toContain('visibility.description');

    const changed = await http()
      .patch('/me')
      .set(bearer)
      .set('If-Match', me.headers.etag)
      .send({
        website: 'https://tiksli.example.lt',
        consent: { publicListing: true, announcements: true, publicContact: true },
        visibility: { contactEmail: 'members', description: 'hidden' },
      })
      .expect(200);
    expect(changed.body.shownInDirectory).toMatchObject({
      contactName: 'public',
      contactEmail: 'members',
      contactPhone: 'public',
      description: 'hidden',
    });
    await http().patch('/me').set(bearer).set('If-Match', me.headers.etag).send({ website: null }).expect(412);

    const history = await http().get('/me/history').set(bearer).expect(200);
    expect(history.body.at(-1)).toMatchObject({ action: 'profile_updated', actor: email });
    const asCoordinator = await http().get(`/members/${memberId}`).set(coordinator()).expect(200);
    expect(asCoordinator.body.website).toBe('https://tiksli.example.lt');
  });

  it('renews the access token while the session lasts, and sign-out ends it', async () => {
    const { email } = await admittedMember();
    const first = await http()
      .post('/sign-in/token')
      .send({ token: await linkFor(email) })
      .expect(200);
    const renewed = await http().post('/sign-in/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    expect(renewed.body.refreshToken).not.toBe(first.body.refreshToken);
    await http().get('/me').set('Authorization', `Bearer ${renewed.body.accessToken}`).expect(200);
    // The replaced refresh token is spent.
    await http().post('/sign-in/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);

    await http().post('/sign-out').send({ refreshToken: renewed.body.refreshToken }).expect(204);
    const after = await http().post('/sign-in/refresh').send({ refreshToken: renewed.body.refreshToken }).expect(401);
    expect(after.body.code).toBe('SESSION_ENDED');
  });

  it('refuses an expired link', async () => {
    const { memberId, email } = await admittedMember();
    const token = await linkFor(email);
    // Fifteen minutes later (the clock moved on in the database, the only place the link lives).
    await membership
      .get<DataSource>(getDataSourceToken())
      .query(`UPDATE membership.sign_in_links SET expires_at = now() - interval '1 second' WHERE member_id = $1`, [
        memberId,
      ]);
    const refused = await http().post('/sign-in/token').send({ token }).expect(401);
    expect(refused.body.code).toBe('SIGN_IN_LINK_INVALID');
  });

  it('keeps only the hash of a link: its token is in no table of membership', async () => {
    const { memberId, email } = await admittedMember();
    const token = await linkFor(email);
    const db = membership.get<DataSource>(getDataSourceToken());
    const rows: { row: string }[] = await db.query(
      `SELECT row_to_json(t)::text AS row FROM membership.sign_in_links t WHERE member_id = $1
       UNION ALL SELECT row_to_json(o)::text FROM membership.outbox_messages o WHERE message_key = $1::text`,
      [memberId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) expect(row).not.toContain(token);
  });

  it('lets a suspended member sign in and read, not change; an ended member cannot sign in', async () => {
    const { memberId, email } = await admittedMember();
    const spare = await linkFor(email);
    await http()
      .post(`/members/${memberId}/suspend`)
      .set(coordinator())
      .send({ reason: 'Nesumokėtas mokestis.' })
      .expect(201);

    const session = await http()
      .post('/sign-in/token')
      .send({ token: await linkFor(email) })
      .expect(200);
    expect(session.body.canChange).toBe(false);
    const bearer = { Authorization: `Bearer ${session.body.accessToken}` };
    const me = await http().get('/me').set(bearer).expect(200);
    expect(me.body.status).toBe('suspended');
    const refused = await http()
      .patch('/me')
      .set(bearer)
      .set('If-Match', me.headers.etag)
      .send({ website: 'https://x.example.lt' })
      .expect(403);
    expect(refused.body.code).toBe('MEMBER_READ_ONLY');

    await http().post(`/members/${memberId}/end`).set(coordinator()).send({ reason: 'Išstojo.' }).expect(201);
    expect((await http().post('/sign-in/token').send({ token: spare }).expect(403)).body.code).toBe('MEMBERSHIP_ENDED');
    await http().post('/sign-in/refresh').send({ refreshToken: session.body.refreshToken }).expect(403);
    await http().get('/me').set(bearer).expect(403);
    // A new link is not sent: the answer is the same 202, and no email comes.
    const before = smtp.messages.filter((m) => m.to.includes(email) && LINK.test(m.text)).length;
    await http().post('/sign-in/links').send({ email }).expect(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.messages.filter((m) => m.to.includes(email) && LINK.test(m.text))).toHaveLength(before);
  });

  it("shows a signed-in member the directory fields other members keep for members, with membership's real token", async () => {
    const listed = await admittedMember();
    const other = await http().get(`/members/${listed.memberId}`).set(coordinator()).expect(200);
    await http()
      .patch(`/members/${listed.memberId}`)
      .set(coordinator())
      .set('If-Match', other.headers.etag)
      .send({
        consent: { publicListing: true, announcements: false, publicContact: true },
        visibility: { contactEmail: 'members', contactName: 'public', contactPhone: 'hidden' },
      })
      .expect(200);
    const { email } = await admittedMember();
    const session = await http()
      .post('/sign-in/token')
      .send({ token: await linkFor(email) })
      .expect(200);

    const entry = (headers: Record<string, string>) =>
      eventually(async () => {
        const answer = await request(directory.getHttpServer())
          .get(`/members/${listed.memberId}`)
          .set(headers)
          .expect(200);
        expect(answer.body.contact?.name).toBe('Ona Onaitė');
        return answer;
      }, 30_000);
    const asMember = await entry({ Authorization: `Bearer ${session.body.accessToken}` });
    expect(asMember.body.contact).toMatchObject({ email: listed.email });
    expect(asMember.body.contact.phone ?? null).toBeNull();
    expect(asMember.headers['cache-control']).toContain('private');
    const anonymous = await entry({});
    expect(anonymous.body.contact.email ?? null).toBeNull();

    // A token membership did not sign is no member's, however it is made.
    await request(directory.getHttpServer())
      .get(`/members/${listed.memberId}`)
      .set('Authorization', `Bearer ${session.body.accessToken.slice(0, -4)}AAAA`)
      .expect(401);
  });
});
