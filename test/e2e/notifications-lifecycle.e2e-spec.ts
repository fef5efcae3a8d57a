import { INestApplication } from '@nestjs/common';
import { coordinatorToken } from '@valley/platform/testing';
import { applicationBody, eventually, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startService } from '../support/service-apps';

jest.setTimeout(90_000);

const COORDINATOR = 'coordinator@e2e.example.lt';

/**
 * Membership and notifications together, over HTTP, with a real SMTP server: each lifecycle step
 * a coordinator takes in membership reaches the right person, in that person's language.
 */
describe('lifecycle emails: membership → notifications', () => {
  const prefix = uniqueTopicPrefix();
  const smtp = new SmtpSink();
  let membership: INestApplication;
  let notifications: INestApplication;

  beforeAll(async () => {
    await smtp.start();
    [membership, notifications] = await Promise.all([
      startService('membership', prefix),
      startService('notifications', prefix, { SMTP_URL: smtp.url, COORDINATOR_EMAIL: COORDINATOR }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([membership, notifications].map((app) => app?.close()));
    await smtp.stop();
  });

  const coordinator = () => ({ Authorization: `Bearer ${coordinatorToken()}` });
  const apply = async (language: 'lt' | 'en') => {
    const email = `applicant-${randomUUID().slice(0, 8)}@example.lt`;
    const body = applicationBody({ contact: { name: 'Ona Onaitė', email, language } });
    const response = await request(membership.getHttpServer()).post('/applications').send(body).expect(201);
    return {
      email,
      legalName: body.legalName as string,
      id: response.body.id as string,
      memberId: response.body.organisationId as string,
    };
  };
  const mailTo = (email: string, subjectStart: string) =>
    smtp.waitFor((m) => m.to.includes(email) && m.subject.startsWith(subjectStart), 30_000);

  it('an application is acknowledged to the applicant and announced to the coordinator; a rejection carries its reason', async () => {
    const applicant = await apply('en');
    const ack = await mailTo(applicant.email, 'We received');
    expect(ack.subject).toContain(applicant.id);
    const review = await smtp.waitFor((m) => m.to.includes(COORDINATOR) && m.text.includes(applicant.id), 30_000);
    expect(review.subject).toBe(`Nauja paraiška vertinti: ${applicant.legalName}`);

    await request(membership.getHttpServer())
      .post(`/applications/${applicant.id}/reject`)
      .set(coordinator())
      .send({ reason: 'Only organisations active in the Lithuanian production sector are admitted.' })
      .expect(201);
    const decision = await mailTo(applicant.email, 'Decision on the application');
    expect(decision.text).toContain('Only organisations active in the Lithuanian production sector are admitted.');
  });

  it('admission, suspension and end each reach the member, in Lithuanian, and the delivery log shows them', async () => {
    const applicant = await apply('lt');
    await request(membership.getHttpServer())
      .post(`/applications/${applicant.id}/admit`)
      .set(coordinator())
      .send({})
      .expect(201);
    const welcome = await mailTo(applicant.email, 'Sveiki');
    expect(welcome.subject).toContain(applicant.legalName);

    await request(membership.getHttpServer())
      .post(`/members/${applicant.memberId}/suspend`)
      .set(coordinator())
      .send({ reason: 'Nesumokėtas nario mokestis.' })
      .expect(201);
    expect((await mailTo(applicant.email, `${applicant.legalName} narystė sustabdyta`)).text).toContain(
      'Nesumokėtas nario mokestis.',
    );
    await request(membership.getHttpServer())
      .post(`/members/${applicant.memberId}/end`)
      .set(coordinator())
      .send({ reason: 'Organizacija paprašė ją išbraukti.' })
      .expect(201);
    expect((await mailTo(applicant.email, `${applicant.legalName} narystė baigėsi`)).text).toContain(
      'Organizacija paprašė ją išbraukti.',
    );

    const log = await eventually(async () => {
      const response = await request(notifications.getHttpServer())
        .get('/deliveries')
        .query({ recipient: applicant.email })
        .set(coordinator())
        .expect(200);
      expect(response.body.items.map((d: { status: string }) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
      return response.body.items as { template: string }[];
    });
    expect(log.map((d) => d.template)).toEqual([
      'membership-ended',
      'member-suspended',
      'welcome',
      'application-received',
    ]);
    expect(smtp.messages.filter((m) => m.to.includes(applicant.email))).toHaveLength(4);
  });
});
