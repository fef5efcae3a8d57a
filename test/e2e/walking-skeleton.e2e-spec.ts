import { INestApplication } from '@nestjs/common';
import { Topics } from '@valley/contracts';
import { coordinatorToken } from '@valley/platform/testing';
import {
  applicationBody,
  eventually,
  KafkaTestClient,
  ReceivedEmail,
  SmtpSink,
  uniqueTopicPrefix,
} from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startService } from '../support/service-apps';

/**
 * The walking skeleton, through HTTP, against the real Kafka, Postgres and an SMTP server:
 * apply → admit → MemberAdmitted through the outbox → directory lists the member →
 * notifications emails a welcome → reporting counts one more member.
 */
describe('admission flows through all four services', () => {
  const prefix = uniqueTopicPrefix();
  const smtp = new SmtpSink();
  let membership: INestApplication;
  let directory: INestApplication;
  let notifications: INestApplication;
  let reporting: INestApplication;
  let kafka: KafkaTestClient;

  beforeAll(async () => {
    await smtp.start();
    [membership, directory, notifications, reporting] = await Promise.all([
      startService('membership', prefix),
      startService('directory', prefix),
      startService('notifications', prefix, { SMTP_URL: smtp.url }),
      startService('reporting', prefix),
    ]);
    kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  });

  afterAll(async () => {
    await Promise.all([membership, directory, notifications, reporting].map((app) => app?.close()));
    await kafka?.close();
    await smtp.stop();
  });

  const memberCount = async (): Promise<number> => {
    const response = await request(reporting.getHttpServer())
      .get('/reports/member-count')
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .expect(200);
    return response.body.members;
  };

  /** The directory's hits for a name search (other suites of the run leave their members listed too). */
  const listedAs = async (legalName: string): Promise<{ id: string; legalName: string }[]> => {
    const response = await request(directory.getHttpServer())
      .get('/members')
      .query({ q: legalName, limit: 100 })
      .expect(200);
    return response.body.items;
  };

  it('admits an applicant and every service reflects it once, even when the event is delivered again', async () => {
    const countBefore = await memberCount();
    // An address of its own: the suites of a run share the notifications schema, and a welcome another
    // suite's notifications left unsent (its SMTP server gone) is sent by this one's.
    const address = `jonas.${randomUUID().slice(0, 8)}@mlez.example`;
    const body = applicationBody({ contact: { name: 'Jonas Jonaitis', email: address, language: 'lt' } });

    const submitted = await request(membership.getHttpServer()).post('/applications').send(body).expect(201);
    expect(submitted.body).toMatchObject({ status: 'submitted', id: expect.any(String) });
    expect(submitted.body.applicantToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const admitted = await request(membership.getHttpServer())
      .post(`/applications/${submitted.body.id}/admit`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .send({})
      .expect(201);
    const memberId: string = admitted.body.memberId;
    expect(memberId).toBe(submitted.body.organisationId);

    // directory: the member is listed
    const entry = await eventually(async () => {
      const found = (await listedAs(body.legalName as string)).find((m) => m.id === memberId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(entry.legalName).toBe(body.legalName);

    // notifications: the SMTP server received a welcome in the contact's language, naming the member
    const isWelcome = (email: ReceivedEmail) => email.to.includes(address) && email.subject.startsWith('Sveiki');
    const welcome = await smtp.waitFor(isWelcome);
    expect(welcome.subject).toContain(body.legalName as string);
    expect(welcome.text).toContain(body.legalName as string);
    expect(welcome.html).toContain('Marijampolės');

    // reporting: one more member
    await eventually(async () => expect(await memberCount()).toBe(countBefore + 1));

    // Deliver the very same MemberAdmitted again, as Kafka may after a crash or rebalance.
    const published = await kafka.readAll(Topics.MembershipLifecycle, 0);
    const original = published.find((m) => m.key === memberId && m.value?.includes('"MemberAdmitted"'));
    expect(original).toBeDefined();
    const [redelivered] = await kafka.produce(Topics.MembershipLifecycle, [{ key: memberId, value: original!.value! }]);
    for (const group of ['directory-projection', 'notifications-planner', 'reporting-membership']) {
      await kafka.waitForGroupPast(group, Topics.MembershipLifecycle, redelivered.partition, redelivered.baseOffset);
    }
    // Give the sender a moment: a second email, if any, would be planned by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.messages.filter(isWelcome)).toHaveLength(1);
    expect(await memberCount()).toBe(countBefore + 1);
    expect((await listedAs(body.legalName as string)).filter((m) => m.id === memberId)).toHaveLength(1);
    const profile = await request(directory.getHttpServer()).get(`/members/${memberId}`).expect(200);
    expect(profile.body.legalName).toBe(body.legalName);
  });

  it('each service reports ready (Postgres, Kafka) on /health and documents its API at /docs', async () => {
    const apps = { membership, directory, notifications, reporting };
    for (const [service, app] of Object.entries(apps)) {
      const health = await request(app.getHttpServer()).get('/health').expect(200);
      expect(health.body.info).toMatchObject({ postgres: { status: 'up' }, kafka: { status: 'up' } });
      await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
      const docs = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
      expect(docs.body.info.title).toBe(service);
      expect(Object.keys(docs.body.paths)).toContain('/health');
    }
    const membershipDocs = (await request(membership.getHttpServer()).get('/docs/openapi.json')).body;
    expect(membershipDocs.paths['/applications'].post.responses).toHaveProperty('400');
    expect(membershipDocs.paths['/applications/{id}/admit'].post.security).toEqual([{ bearer: [] }]);
    expect(membershipDocs.paths['/applications/{id}/admit'].post.responses).toHaveProperty('403');
    const outbox = (await request(membership.getHttpServer()).get('/health')).body.info.outbox;
    expect(outbox).toMatchObject({ status: 'up', waiting: expect.any(Number) });
  });

  it('each service serves the AsyncAPI document of the whole system at /asyncapi, and a page of it', async () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../libs/contracts/asyncapi.json'), 'utf8'));
    for (const app of [membership, directory, notifications, reporting]) {
      const json = await request(app.getHttpServer()).get('/asyncapi').expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.body).toEqual(committed);

      const asBrowser = await request(app.getHttpServer()).get('/asyncapi').set('Accept', 'text/html,*/*').expect(200);
      expect(asBrowser.headers['content-type']).toMatch(/^text\/html/);
      const page = await request(app.getHttpServer()).get('/asyncapi.html').expect(200);
      expect(page.text).toBe(asBrowser.text);
      expect(page.text).toContain('<code>valley.membership.lifecycle.v1</code>');
      expect(page.text).toMatch(
        /<td>membership<\/td><td>directory \(directory-projection\)<br>notifications \(notifications-planner\)<br>reporting \(reporting-membership\)<\/td>/,
      );
      expect(page.text).toContain('<td><code>contact.email</code></td><td>string (email)</td><td>yes</td>');

      const docs = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
      expect(docs.body.paths['/asyncapi'].get).toBeDefined();
    }
  });
});
