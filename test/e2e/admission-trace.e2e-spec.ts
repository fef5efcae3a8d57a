import { ServiceName, ServiceNames, Topics } from '@valley/contracts';
import { serviceDatabaseUrl } from '@valley/platform';
import { coordinatorToken, TEST_JWT_SECRET } from '@valley/platform/testing';
import { applicationBody, eventually, freePort, KafkaTestClient, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/infra/kafka';
import { ServiceProcess } from '../faults/harness/service-process';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';

/** The JSON log lines of a service process (its stdout, appended to its log file). */
function logLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * One admission is one trace, across the four services, as deployed: each service its own OS process
 * (`node -r ./scripts/register.js services/<service>/src/main.ts`, the SDK started by its main.ts),
 * exporting over OTLP (http/json) to a receiver in this test that keeps every span in memory, against
 * the real Kafka, Postgres and an SMTP server. The trace: membership's HTTP server span → the outbox
 * row → the relay's `send` span → each consumer's `process` span (its child, through the
 * `traceparent` header) → notifications' `smtp send`; and the log lines carry the ids.
 */
describe('the trace of an admission (four processes, OTLP, real Kafka)', () => {
  const prefix = uniqueTopicPrefix();
  const receiver = new OtlpReceiver();
  const smtp = new SmtpSink();
  const logDir = join(REPO_ROOT, '.data', 'traces-e2e');
  const services = {} as Record<ServiceName, ServiceProcess>;
  let portal: ServiceProcess;
  const exits: string[] = [];
  let kafka: KafkaTestClient;

  beforeAll(async () => {
    rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true });
    const endpoint = await receiver.start();
    await smtp.start();
    const adminUrl = process.env.VALLEY_TEST_DATABASE_URL!;
    for (const service of ServiceNames) {
      const port = await freePort();
      services[service] = new ServiceProcess(
        service,
        port,
        {
          ...process.env,
          NODE_ENV: 'test',
          PORT: String(port),
          METRICS_PORT: String(await freePort()),
          METRICS_HOST: '127.0.0.1',
          DATABASE_URL: serviceDatabaseUrl(adminUrl, service),
          KAFKA_BROKERS: process.env.VALLEY_TEST_KAFKA_BROKERS!,
          KAFKA_TOPIC_PREFIX: prefix,
          KAFKA_PARTITIONS: '3',
          AUTH_JWT_SECRET: TEST_JWT_SECRET,
          // notifications says at debug level when the relay accepted an email (in the send's span).
          LOG_LEVEL: service === 'notifications' ? 'debug' : 'info',
          RATE_LIMITS: 'off',
          SMTP_URL: smtp.url,
          MAIL_RATE_PER_SECOND: '100',
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
        join(logDir, `${service}.log`),
        (exit) => exits.push(`${exit.service} exited (${exit.signal ?? exit.code}): ${exit.lastLines.join(' | ')}`),
      );
    }
    // The portal, over the services' HTTP APIs: its calls (node:http) carry the page's trace.
    const portalPort = await freePort();
    portal = new ServiceProcess(
      'portal',
      portalPort,
      {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(portalPort),
        LOG_LEVEL: 'warn',
        MEMBERSHIP_URL: services.membership.url(''),
        DIRECTORY_URL: services.directory.url(''),
        NOTIFICATIONS_URL: services.notifications.url(''),
        REPORTING_URL: services.reporting.url(''),
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      join(logDir, 'portal.log'),
      (exit) => exits.push(`${exit.service} exited (${exit.signal ?? exit.code}): ${exit.lastLines.join(' | ')}`),
    );
    for (const service of ServiceNames) services[service].start();
    portal.start();
    await Promise.all([
      ...ServiceNames.map((service) => services[service].waitReady(180_000)),
      portal.waitReady(180_000),
    ]);
    kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([...Object.values(services), portal].map((service) => service?.stop()));
    await kafka?.close();
    await smtp.stop();
    await receiver.stop();
  });

  it('is one trace from the HTTP request through the outbox and Kafka into every consumer and the SMTP send', async () => {
    const address = `trace.${randomUUID().slice(0, 8)}@mlez.example`;
    const body = applicationBody({ contact: { name: 'Jonas Jonaitis', email: address, language: 'lt' } });
    const post = (path: string, payload: unknown, token?: string) =>
      fetch(services.membership.url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(payload),
      });
    const submitted = await post('/applications', body);
    expect(submitted.status).toBe(201);
    const application = (await submitted.json()) as { id: string; organisationId: string };
    const admitted = await post(`/applications/${application.id}/admit`, {}, coordinatorToken());
    expect(admitted.status).toBe(201);

    // The admission's MemberAdmitted, as published: its traceparent names the relay's send span.
    const published = await eventually(async () => {
      const found = (await kafka.readAll(Topics.MembershipLifecycle, 500)).find(
        (m) => m.key === application.organisationId && m.value?.includes('"MemberAdmitted"'),
      );
      expect(found).toBeDefined();
      return found!;
    }, 30_000);
    const eventId = JSON.parse(published.value!).eventId as string;
    const [, traceId, sendSpanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(published.headers.traceparent)!;
    expect(traceId).toBeDefined();

    const byId = (spans: ReceivedSpan[]) => new Map(spans.map((s) => [s.spanId, s]));
    /** The span's ancestors, nearest first, as far as the trace's spans reach. */
    const ancestors = (span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] => {
      const index = byId(spans);
      const chain: ReceivedSpan[] = [];
      for (let p = index.get(span.parentSpanId); p; p = index.get(p.parentSpanId)) chain.push(p);
      return chain;
    };

    // Everything below arrives within a few export intervals; the email last.
    const trace = await eventually(
      () => {
        const spans = receiver.trace(traceId);
        const has = (service: string, name: string | RegExp) =>
          spans.some((s) => s.service === service && (typeof name === 'string' ? s.name === name : name.test(s.name)));
        expect(has('membership', 'POST /applications/:id/admit')).toBe(true);
        for (const service of ['directory', 'notifications', 'reporting']) {
          expect(has(service, `process ${Topics.MembershipLifecycle}`)).toBe(true);
        }
        expect(has('notifications', 'smtp send')).toBe(true);
        return spans;
      },
      60_000,
      250,
    );
    expect(exits).toEqual([]);

    // membership: the HTTP server span is the root, its database work and the relay's send are in it.
    const server = trace.find((s) => s.service === 'membership' && s.name === 'POST /applications/:id/admit')!;
    expect(server).toMatchObject({ kind: 'server', parentSpanId: '' });
    expect(trace.filter((s) => s.parentSpanId === '')).toEqual([server]);
    const send = trace.find((s) => s.spanId === sendSpanId)!;
    expect(send).toMatchObject({
      service: 'membership',
      kind: 'producer',
      name: `send ${Topics.MembershipLifecycle}`,
      attributes: expect.objectContaining({ 'messaging.message.id': eventId }),
    });
    expect(ancestors(send, trace)).toContain(server);
    expect(
      trace.some((s) => s.service === 'membership' && s.kind === 'client' && /pg|INSERT|postgres/i.test(s.name)),
    ).toBe(true);

    // Each consumer's handling of that event is a child of the producer's send.
    for (const service of ['directory', 'notifications', 'reporting']) {
      const handling = trace.filter(
        (s) => s.service === service && s.kind === 'consumer' && s.attributes['messaging.message.id'] === eventId,
      );
      expect(handling.length).toBeGreaterThanOrEqual(1);
      for (const span of handling) {
        expect(span.parentSpanId).toBe(sendSpanId);
        expect(span.status).not.toBe(2);
      }
    }

    // notifications: the welcome's SMTP send, later, by the sender, is a child of the event's handling.
    const planned = trace.find(
      (s) => s.service === 'notifications' && s.kind === 'consumer' && s.attributes['messaging.message.id'] === eventId,
    )!;
    const smtpSends = trace.filter((s) => s.service === 'notifications' && s.name === 'smtp send');
    expect(
      smtpSends.some((s) => s.parentSpanId === planned.spanId && s.attributes['valley.template'] === 'welcome'),
    ).toBe(true);
    expect(smtp.messages.some((m) => m.to.includes(address))).toBe(true);

    // And on: NotificationSent, published in the send's context, is handled by reporting in the same trace.
    await eventually(
      () =>
        expect(
          receiver
            .trace(traceId)
            .some(
              (s) =>
                s.service === 'reporting' &&
                s.kind === 'consumer' &&
                smtpSends.some((m) => ancestors(s, receiver.trace(traceId)).includes(m)),
            ),
        ).toBe(true),
      30_000,
    );

    // Every span of the trace leads back to the HTTP request. A span is exported when it ends, so a child
    // (a query, a send) can arrive an export interval before the handling span that holds it: wait for those.
    const all = await eventually(() => {
      const spans = receiver.trace(traceId);
      const orphans = spans.filter((s) => s !== server && !ancestors(s, spans).includes(server));
      expect(orphans.map((s) => `${s.service}: ${s.name} (parent ${s.parentSpanId})`)).toEqual([]);
      return spans;
    }, 15_000);
    writeFileSync(join(logDir, 'trace.json'), JSON.stringify(all, null, 2));

    // Log lines written while handling the request or the event name the trace and their span.
    await eventually(() => {
      const membershipLines = logLines(join(logDir, 'membership.log')).filter((l) => l.trace_id === traceId);
      expect(membershipLines.some((l) => String((l.req as { url?: string })?.url).endsWith('/admit'))).toBe(true);
      const spanIds = new Set(all.map((s) => s.spanId));
      for (const line of membershipLines) expect(spanIds.has(String(line.span_id))).toBe(true);
      const accepted = logLines(join(logDir, 'notifications.log')).filter(
        (l) => l.msg === 'email accepted by the relay' && l.template === 'welcome' && l.trace_id === traceId,
      );
      expect(accepted).toHaveLength(1);
      expect(smtpSends.map((s) => s.spanId)).toContain(accepted[0].span_id);
    });
  });

  it('is one trace from a portal page through its call to a service', async () => {
    const page = await fetch(portal.url('/directory?q=Marijampol%C4%97s'), { headers: { 'accept-language': 'en' } });
    expect(page.status).toBe(200);

    const { call, answered } = await eventually(() => {
      const served = receiver.spans.find(
        (s) => s.service === 'portal' && s.kind === 'server' && s.name === 'GET /directory',
      );
      expect(served).toBeDefined();
      const spans = receiver.trace(served!.traceId);
      // The portal's fetch to the directory: a client span of the page's, the directory's server span its child.
      const calls = spans.filter(
        (s) => s.service === 'portal' && s.kind === 'client' && s.parentSpanId === served!.spanId,
      );
      const pairs = calls.map((c) => ({
        call: c,
        answered: spans.find((s) => s.service === 'directory' && s.kind === 'server' && s.parentSpanId === c.spanId),
      }));
      const pair = pairs.find((p) => p.answered);
      expect(pair).toBeDefined();
      return pair!;
    }, 20_000);
    expect(call.name).toBe('GET');
    expect(String(call.attributes['url.full'])).toContain('/members');
    expect(answered!.name).toBe('GET /members');
    expect(exits).toEqual([]);
  }, 60_000);
});
