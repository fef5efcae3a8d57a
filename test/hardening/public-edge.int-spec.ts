import { connect } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { scrapeMetrics } from '@valley/platform/testing';
import { applicationBody, uniqueTopicPrefix } from '@valley/testing';
import request from 'supertest';
import { startService } from '../support/service-apps';

/**
 * The public edge of the services, on both HTTP adapters (membership: Express, directory:
 * Fastify): CORS for portal frontends, security headers, per-client rate limits kept in the real
 * Redis and shared by instances, metrics off the public port, keep-alive connections never
 * closed under a client that reuses them.
 */
const PORTAL = 'https://portal.valley.example';

describe('the public edge', () => {
  const prefix = uniqueTopicPrefix();
  const edgeEnv = {
    CORS_ORIGINS: `${PORTAL},https://partner.example`,
    HSTS_MAX_AGE_SECONDS: '31536000',
    RATE_LIMITS: 'applications=3/60,withdraw=10/600,application=120/60,application-history=120/60',
  };
  let membership: INestApplication;
  let membershipTwin: INestApplication;
  let directory: INestApplication;
  let notifications: INestApplication;

  beforeAll(async () => {
    [membership, membershipTwin, directory, notifications] = await Promise.all([
      startService('membership', prefix, edgeEnv),
      // A second instance of the same service: the limits are the service's, not the instance's.
      startService('membership', prefix, edgeEnv),
      startService('directory', prefix, { ...edgeEnv, RATE_LIMITS: 'search=5/60,profile=600/60,facets=600/60' }),
      startService('notifications', prefix, { ...edgeEnv, RATE_LIMITS: '' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([membership, membershipTwin, directory, notifications].map((app) => app?.close()));
  });

  describe('CORS', () => {
    it('answers a preflight for the directory search with the methods of that path and the conditional headers', async () => {
      const response = await request(directory.getHttpServer())
        .options('/members')
        .set('Origin', PORTAL)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'if-none-match')
        .expect(204);

      expect(response.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(response.headers['access-control-allow-methods']).toBe('GET,HEAD');
      expect(response.headers['access-control-allow-headers']).toMatch(/If-None-Match/);
      expect(response.headers['access-control-max-age']).toBe('600');
      expect(response.headers.vary).toMatch(/Origin/);
    });

    it.each([
      ['/applications', 'GET,HEAD,POST'],
      ['/applications/7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11/withdraw', 'POST'],
      ['/members/7c0f5b5e-3c1b-4a51-9d0e-0c5b1f3f1a11', 'GET,HEAD,PATCH'],
    ])('answers a preflight on membership %s with %s and the token headers', async (path, methods) => {
      const response = await request(membership.getHttpServer())
        .options(path)
        .set('Origin', 'https://partner.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-applicant-token,if-match,authorization')
        .expect(204);

      expect(response.headers['access-control-allow-origin']).toBe('https://partner.example');
      expect(response.headers['access-control-allow-methods']).toBe(methods);
      for (const header of ['Content-Type', 'X-Applicant-Token', 'If-Match', 'Authorization']) {
        expect(response.headers['access-control-allow-headers']).toContain(header);
      }
    });

    it('gives another origin no CORS headers, but still varies by Origin', async () => {
      const response = await request(directory.getHttpServer())
        .get('/members')
        .set('Origin', 'https://evil.example')
        .expect(200);

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers.vary).toMatch(/Origin/);
    });

    it('puts the CORS headers on search answers served from the answer cache too', async () => {
      const path = `/members?q=${prefix}cors&sort=name`;
      for (let i = 0; i < 3; i++) {
        const response = await request(directory.getHttpServer()).get(path).set('Origin', PORTAL).expect(200);
        expect(response.headers['access-control-allow-origin']).toBe(PORTAL);
        expect(response.headers['access-control-expose-headers']).toMatch(/ETag/);
      }
    });
  });

  describe('security headers', () => {
    it.each([
      ['membership', () => membership, '/health/live'],
      ['directory', () => directory, '/health/live'],
    ])('%s: no X-Powered-By, nosniff, HSTS as configured', async (_, app, path) => {
      const response = await request(app().getHttpServer()).get(path).expect(200);

      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    });

    it.each([
      ['membership /docs', () => membership, '/docs'],
      ['directory /docs', () => directory, '/docs'],
      ['the unsubscribe page', () => notifications, '/unsubscribe?token=x'],
    ])('%s: a Content-Security-Policy that allows only its own scripts', async (_, app, path) => {
      const response = await request(app().getHttpServer()).get(path);

      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    });
  });

  describe('rate limits', () => {
    it('refuses the fourth application from one client within the minute with 429 and Retry-After, on any instance', async () => {
      const client = '203.0.113.7';
      const apply = (app: INestApplication) =>
        request(app.getHttpServer()).post('/applications').set('X-Forwarded-For', client).send(applicationBody());

      const answers = [await apply(membership), await apply(membershipTwin), await apply(membership)];
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0']);

      const refused = await apply(membershipTwin).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      expect(refused.body.message).toMatch(/at most 3 in 60 s; try again in \d+ s/);
    });

    it('counts each client on its own, by the address a trusted proxy forwards for', async () => {
      const apply = (client: string) =>
        request(membership.getHttpServer())
          .post('/applications')
          .set('X-Forwarded-For', client)
          .send(applicationBody());

      for (let i = 0; i < 3; i++) await apply('198.51.100.1').expect(201);
      await apply('198.51.100.1').expect(429);
      await apply('198.51.100.2').expect(201);
    });

    it('leaves endpoints without a rule alone', async () => {
      for (let i = 0; i < 8; i++) await request(membership.getHttpServer()).get('/health/live').expect(200);
    });

    it('limits the directory search before its answer cache: a repeated search counts too', async () => {
      const search = () =>
        request(directory.getHttpServer()).get(`/members?q=${prefix}limits`).set('X-Forwarded-For', '192.0.2.44');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await search()).status);

      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });

    it('documents the 429 of each limited operation in OpenAPI', async () => {
      const doc = (await request(membership.getHttpServer()).get('/docs/openapi.json').expect(200)).body;

      expect(doc.paths['/applications'].post.responses['429'].description).toMatch(/at most 3 in 60 s/);
      expect(doc.paths['/applications'].get.responses['429']).toBeUndefined();
    });

    it('says in /health that the counters are in Redis', async () => {
      const health = await request(membership.getHttpServer()).get('/health');

      expect(health.body.details.rateLimits).toEqual({ status: 'up', store: 'redis' });
    });

    it('counts on its own while Redis cannot be reached, and says so, without refusing service', async () => {
      const lonely = await startService('membership', uniqueTopicPrefix(), {
        RATE_LIMITS: 'applications=2/60',
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      try {
        const apply = () =>
          request(lonely.getHttpServer())
            .post('/applications')
            .set('X-Forwarded-For', '192.0.2.9')
            .send(applicationBody());
        expect([(await apply()).status, (await apply()).status, (await apply()).status]).toEqual([201, 201, 429]);
        const health = await request(lonely.getHttpServer()).get('/health');
        expect(health.body.details.rateLimits).toMatchObject({ status: 'up', store: 'memory' });
      } finally {
        await lonely.close();
      }
    });
  });

  describe('metrics', () => {
    it('are not on the public port', async () => {
      await request(membership.getHttpServer()).get('/metrics').expect(404);
      await request(directory.getHttpServer()).get('/metrics').expect(404);
    });

    it('are on the metrics port, in the Prometheus text format', async () => {
      const { contentType, text } = await scrapeMetrics(membership);

      expect(contentType).toMatch(/^text\/plain/);
      expect(text).toMatch(/^valley_outbox_waiting_rows \d+$/m);
      expect(text).toMatch(/^valley_process_resident_memory_bytes \d+$/m);
    });
  });

  describe('keep-alive', () => {
    /**
     * Two requests on one connection, the second after the connection sat idle longer than Node's
     * default keep-alive timeout (5 s): a server that closed it meanwhile would make a client that
     * reuses it see a reset. Both must be answered on the same socket.
     */
    async function answersAfterIdle(port: number, idleMs: number): Promise<string[]> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        const statusLines: string[] = [];
        let buffer = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          buffer += chunk;
          const lines = buffer.match(/HTTP\/1\.1 \d{3}/g) ?? [];
          if (lines.length > statusLines.length) statusLines.push(...lines.slice(statusLines.length));
          if (statusLines.length === 2) {
            socket.end();
            resolve(statusLines);
          }
        });
        socket.on('end', () => resolve(statusLines));
        socket.on('error', reject);
        const ask = () => socket.write('GET /health/live HTTP/1.1\r\nHost: valley\r\n\r\n');
        ask();
        setTimeout(ask, idleMs);
      });
    }

    it.each([
      ['membership (Express)', () => membership],
      ['directory (Fastify)', () => directory],
    ])(
      '%s keeps an idle connection open longer than clients do',
      async (_, app) => {
        const port = (app().getHttpServer().address() as { port: number }).port;

        expect(await answersAfterIdle(port, 6_000)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
      },
      20_000,
    );
  });
});
