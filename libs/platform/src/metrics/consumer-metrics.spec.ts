import {
  ConsumerLagMonitor,
  ConsumerRegistry,
  ConsumerStatus,
  MessageTransport,
  MessagingMetrics,
  PartitionOffsets,
} from '@valley/messaging';
import { Registry } from 'prom-client';
import { PrometheusMessagingMetrics, registerConsumerGauges } from './consumer-metrics';
import { ServiceMetrics } from './metrics';

function consumers(offsets: () => Promise<PartitionOffsets[]>) {
  const registry = new ConsumerRegistry();
  const running = new ConsumerStatus();
  running.joined();
  registry.add('reporting-projection', running, { topics: ['membership.lifecycle'] });
  registry.add('reporting-notifications', new ConsumerStatus(), { topics: ['notifications.delivery'] });
  const transport = {
    consumerOffsets: async (groups: { groupId: string }[]) =>
      new Map(await Promise.all(groups.map(async (g) => [g.groupId, await offsets()] as const))),
  } as unknown as MessageTransport;
  return { registry, lag: new ConsumerLagMonitor(transport, registry, { cacheMs: 0 }) };
}

describe('the consumers’ Prometheus metrics', () => {
  it('counts and times what the consumers report, by consumer (and reason)', async () => {
    const registry = new Registry();
    const sink = new PrometheusMessagingMetrics(registry, { outbox: true });
    sink.eventsHandled('reporting-projection', 3);
    sink.eventsRetried('reporting-projection', 2);
    sink.eventsDeadLettered('reporting-projection', 'malformed', 1);
    sink.infrastructureWait('reporting-projection');
    sink.batchHandled('reporting-projection', 3, 0.004);
    sink.receiveDelay('reporting-projection', 0.0007);
    sink.applyDelay('reporting-projection', 0.003);
    sink.outboxPublishDelay(0.015);

    const text = await registry.metrics();

    expect(text).toMatch(/^valley_consumer_events_handled_total\{consumer="reporting-projection"\} 3$/m);
    expect(text).toMatch(/^valley_consumer_events_retried_total\{consumer="reporting-projection"\} 2$/m);
    expect(text).toMatch(
      /^valley_consumer_events_dead_lettered_total\{consumer="reporting-projection",reason="malformed"\} 1$/m,
    );
    expect(text).toMatch(/^valley_consumer_infrastructure_waits_total\{consumer="reporting-projection"\} 1$/m);
    expect(text).toMatch(/^valley_consumer_batch_size_bucket\{le="5",consumer="reporting-projection"\} 1$/m);
    expect(text).toMatch(/^valley_consumer_batch_handling_seconds_count\{consumer="reporting-projection"\} 1$/m);
    expect(text).toMatch(
      /^valley_consumer_receive_delay_seconds_bucket\{le="0.001",consumer="reporting-projection"\} 1$/m,
    );
    expect(text).toMatch(
      /^valley_consumer_receive_delay_seconds_bucket\{le="0.0005",consumer="reporting-projection"\} 0$/m,
    );
    expect(text).toMatch(/^valley_consumer_apply_delay_seconds_sum\{consumer="reporting-projection"\} 0.003$/m);
    expect(text).toMatch(/^valley_outbox_publish_delay_seconds_bucket\{le="0.02"\} 1$/m);
  });

  it('has no outbox histogram in a service without an outbox', async () => {
    const registry = new Registry();
    new PrometheusMessagingMetrics(registry, { outbox: false });
    expect(await registry.metrics()).not.toContain('valley_outbox_publish_delay_seconds');
  });

  it('starts a consumer’s series at zero, so that the first dead letter is an increase', async () => {
    const registry = new Registry();
    new PrometheusMessagingMetrics(registry, { outbox: false }).consumerStarted('directory-projection');
    const text = await registry.metrics();
    for (const reason of ['malformed', 'permanent', 'exhausted']) {
      expect(text).toContain(
        `valley_consumer_events_dead_lettered_total{consumer="directory-projection",reason="${reason}"} 0\n`,
      );
    }
    expect(text).toContain('valley_consumer_events_retried_total{consumer="directory-projection"} 0\n');
    expect(text).toContain('valley_consumer_apply_delay_seconds_count{consumer="directory-projection"} 0\n');
  });

  it('reads whether each consumer runs, its lag per partition and its oldest age at scrape time', async () => {
    const registry = new Registry();
    const { registry: consumerRegistry, lag } = consumers(async () => [
      { topic: 'membership.lifecycle', partition: 2, latestOffset: 9, committedOffset: 4, lag: 5 },
    ]);
    registerConsumerGauges(registry, consumerRegistry, lag);

    const text = await registry.metrics();

    expect(text).toMatch(/^valley_consumer_up\{consumer="reporting-projection"\} 1$/m);
    expect(text).toMatch(/^valley_consumer_up\{consumer="reporting-notifications"\} 0$/m);
    expect(text).toMatch(
      /^valley_consumer_lag_messages\{consumer="reporting-projection",topic="membership.lifecycle",partition="2"\} 5$/m,
    );
    // behind, nothing held: since it was first seen behind (just now)
    expect(text).toMatch(
      /^valley_consumer_oldest_unprocessed_age_seconds\{consumer="reporting-projection"\} 0(\.\d+)?$/m,
    );
    expect(text).toMatch(/^valley_consumer_lag_scrape_failing 0$/m);
  });

  it('never fails the scrape when the offsets cannot be read: the last values stay, and it says so', async () => {
    let fail = false;
    const registry = new Registry();
    const { registry: consumerRegistry, lag } = consumers(async () => {
      if (fail) throw new Error('broker away');
      return [{ topic: 'membership.lifecycle', partition: 0, latestOffset: 3, committedOffset: 1, lag: 2 }];
    });
    registerConsumerGauges(registry, consumerRegistry, lag);
    await registry.metrics();
    fail = true;

    const text = await registry.metrics();

    expect(text).toMatch(/^valley_consumer_lag_scrape_failing 1$/m);
    expect(text).toMatch(/^valley_consumer_lag_messages\{consumer="reporting-projection",.*\} 2$/m);
  });

  it('is what ServiceMetrics plugs into the application’s MessagingMetrics, one registry per app', async () => {
    const [a, b] = [new MessagingMetrics(), new MessagingMetrics()];
    const metricsA = new ServiceMetrics(undefined, a, new ConsumerRegistry());
    const metricsB = new ServiceMetrics(undefined, b, new ConsumerRegistry());
    a.sink.eventsHandled('x', 1);
    expect(await metricsA.registry.metrics()).toMatch(/^valley_consumer_events_handled_total\{consumer="x"\} 1$/m);
    expect(await metricsB.registry.metrics()).not.toMatch(/^valley_consumer_events_handled_total\{/m);
  });
});
