import { INestApplication } from '@nestjs/common';
import { ServiceName } from '@valley/contracts';
import { coordinatorToken, scrapeMetrics } from '@valley/platform/testing';
import { applicationBody, eventually, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import request from 'supertest';
import {
  baseName,
  exportedMetrics,
  metricNames,
  monitoringExpressions,
  PROMETHEUS_SERIES,
} from '../monitoring/promql-names';
import { startService } from '../support/service-apps';

/**
 * deploy/monitoring (the Grafana dashboard, the Prometheus alert rules) reads only metrics the
 * services export: the four run for real, an admission flows through them (so that the
 * consumers' counters and histograms have series), and every metric name in the dashboard's and
 * the rules' expressions must be on some service's /metrics, with samples.
 */
describe('the dashboard and the alert rules read metrics the services export', () => {
  const prefix = uniqueTopicPrefix();
  const smtp = new SmtpSink();
  const apps: Partial<Record<ServiceName, INestApplication>> = {};

  beforeAll(async () => {
    await smtp.start();
    const services: [ServiceName, Record<string, string>][] = [
      ['membership', {}],
      ['directory', {}],
      ['notifications', { SMTP_URL: smtp.url }],
      ['reporting', {}],
    ];
    await Promise.all(
      services.map(async ([service, env]) => (apps[service] = await startService(service, prefix, env))),
    );
  });

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app?.close()));
    await smtp.stop();
  });

  it('exports every metric they use, after one admission went through every consumer', async () => {
    const membership = apps.membership!;
    const submitted = await request(membership.getHttpServer())
      .post('/applications')
      .send(applicationBody())
      .expect(201);
    await request(membership.getHttpServer())
      .post(`/applications/${submitted.body.id}/admit`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .send({})
      .expect(201);

    // Every consuming service has applied an event (and read its offsets) before the scrape that counts.
    const scraped = await eventually(async () => {
      const texts: Partial<Record<ServiceName, string>> = {};
      for (const [service, app] of Object.entries(apps) as [ServiceName, INestApplication][]) {
        texts[service] = (await scrapeMetrics(app)).text;
      }
      for (const service of ['directory', 'notifications', 'reporting'] as const) {
        expect(texts[service]).toMatch(/^valley_consumer_events_handled_total\{consumer="[^"]+"\} [1-9]/m);
        expect(texts[service]).toMatch(/^valley_consumer_lag_messages\{/m);
        expect(texts[service]).toMatch(/^valley_consumer_up\{consumer="[^"]+"\} 1$/m);
      }
      expect(texts.membership).toMatch(/^valley_outbox_publish_delay_seconds_count [1-9]/m);
      return texts;
    });

    const exported = Object.values(scraped).map((text) => exportedMetrics(text!));
    const histograms = new Set(exported.flatMap((e) => [...e.histograms]));
    const declared = new Set(exported.flatMap((e) => [...e.names]));
    const sampled = new Set(exported.flatMap((e) => [...e.sampled]));

    const missing: string[] = [];
    const used = new Set<string>();
    for (const { where, expr } of monitoringExpressions()) {
      for (const name of metricNames(expr)) {
        if (PROMETHEUS_SERIES.has(name)) continue;
        used.add(name);
        const metric = baseName(name, histograms);
        if (!declared.has(metric)) missing.push(`${name} (${where}): not exported`);
        else if (!sampled.has(name)) missing.push(`${name} (${where}): exported without samples`);
      }
    }
    expect(missing).toEqual([]);
    // the dashboard and the rules cover the consumers' and the outbox's metrics
    for (const name of [
      'valley_consumer_lag_messages',
      'valley_consumer_oldest_unprocessed_age_seconds',
      'valley_consumer_events_handled_total',
      'valley_consumer_events_retried_total',
      'valley_consumer_events_dead_lettered_total',
      'valley_consumer_batch_size_bucket',
      'valley_consumer_batch_handling_seconds_bucket',
      'valley_outbox_waiting_rows',
      'valley_outbox_oldest_waiting_age_seconds',
      'valley_outbox_relay_failing',
    ]) {
      expect(used).toContain(name);
    }
  });
});
