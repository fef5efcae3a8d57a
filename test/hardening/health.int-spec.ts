import { INestApplication } from '@nestjs/common';
import { Topics } from '@valley/contracts';
import { OutboxCleanup } from '@valley/messaging';
import { ReadinessChecks } from '@valley/platform';
import { eventually, uniqueTopicPrefix } from '@valley/testing';
import request from 'supertest';
import { startService } from '../support/service-apps';

/** /health: every check guarded (a 503 naming the failure, never a 500), the consumers' states in it. */
describe('/health', () => {
  let notifications: INestApplication;

  beforeAll(async () => {
    notifications = await startService('notifications', uniqueTopicPrefix());
  });

  afterAll(async () => {
    await notifications?.close();
  });

  it('names each consumer and its state, and is ready once they run', async () => {
    const health = await eventually(async () => {
      const response = await request(notifications.getHttpServer()).get('/health').expect(200);
      return response.body;
    });

    expect(health.details.consumers).toMatchObject({
      status: 'up',
      consumers: { 'notifications-planner': { state: 'running', since: expect.any(String) } },
    });
  });

  it('gives each consumer’s lag: messages behind per partition and the oldest unprocessed event’s age', async () => {
    const health = await eventually(async () => {
      const response = await request(notifications.getHttpServer()).get('/health').expect(200);
      expect(response.body.details.consumers.lagReadAt).toEqual(expect.any(String));
      return response.body;
    });

    const planner = health.details.consumers.consumers['notifications-planner'];
    expect(planner.lag).toEqual({
      messages: expect.any(Number),
      oldestUnprocessedAgeSeconds: expect.any(Number),
      partitions: expect.arrayContaining([
        { topic: Topics.MembershipLifecycle, partition: 0, lag: expect.any(Number) },
      ]),
    });
    expect(health.details.consumers.lagFailing).toBeUndefined();
  });

  it('answers 503 naming a check that throws, instead of a 500', async () => {
    notifications.get(ReadinessChecks).register(async () => {
      throw new Error('the check itself failed');
    });

    const response = await request(notifications.getHttpServer()).get('/health').expect(503);

    expect(response.body.status).toBe('error');
    expect(Object.values(response.body.error)).toContainEqual({
      status: 'down',
      message: 'Error: the check itself failed',
    });
    // the other checks still report
    expect(response.body.details.postgres).toEqual({ status: 'up' });
  });

  it('cleans up its outbox like membership does (the cleanup lives in the outbox module)', async () => {
    const cleanup = notifications.get(OutboxCleanup);
    expect(await cleanup.run()).toBeGreaterThanOrEqual(0);
  });

  it('answers liveness whatever readiness says', async () => {
    await request(notifications.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });
});
