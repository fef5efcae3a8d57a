import { createServer, Server } from 'node:http';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConsumerLagMonitor, ConsumerRegistry, MessagingMetrics, OutboxRelay } from '@valley/messaging';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ServiceConfig } from '../config/service-config';
import { PrometheusMessagingMetrics, registerConsumerGauges } from './consumer-metrics';

/**
 * The Prometheus metrics of one service process: Node's defaults, its consumer groups' (see
 * consumer-metrics.ts) and, for a producing service, the outbox relay's lag and publish delay.
 * One registry per application (tests run several apps in one process).
 */
@Injectable()
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(
    @Optional() relay?: OutboxRelay,
    @Optional() messaging?: MessagingMetrics,
    @Optional() consumers?: ConsumerRegistry,
    @Optional() lag?: ConsumerLagMonitor,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'valley_' });
    messaging?.use(new PrometheusMessagingMetrics(this.registry, { outbox: relay !== undefined }));
    if (consumers) registerConsumerGauges(this.registry, consumers, lag);
    if (relay) {
      // Read the lag once per scrape, whichever gauge is collected first (they are collected concurrently).
      let pending: Promise<void> | null = null;
      const refresh = (): Promise<void> =>
        (pending ??= relay
          .lag()
          .then((lag) => {
            waiting.set(lag.waiting);
            oldest.set((lag.oldestWaitingAgeMs ?? 0) / 1000);
            failing.set(relay.failing ? 1 : 0);
          })
          .finally(() => setImmediate(() => (pending = null))));
      const waiting = new Gauge({
        name: 'valley_outbox_waiting_rows',
        help: 'Outbox rows committed but not yet published to Kafka.',
        registers: [this.registry],
        collect: refresh,
      });
      const oldest = new Gauge({
        name: 'valley_outbox_oldest_waiting_age_seconds',
        help: 'Age of the oldest unpublished outbox row (0 when none waits).',
        registers: [this.registry],
        collect: refresh,
      });
      const failing = new Gauge({
        name: 'valley_outbox_relay_failing',
        help: '1 while the outbox relay fails to publish, else 0.',
        registers: [this.registry],
        collect: refresh,
      });
    }
  }
}

/**
 * Serves GET /metrics on its own port (METRICS_PORT), apart from the public API: Prometheus
 * scrapes it inside the cluster network, the public never reaches it.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly config: ServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('GET /metrics\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (text) =>
          response
            .writeHead(200, { 'Content-Type': this.metrics.registry.contentType, 'Cache-Control': 'no-store' })
            .end(text),
        (error: unknown) =>
          response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${String(error)}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.METRICS_PORT, this.config.METRICS_HOST, () => resolve());
    });
    this.server = server;
  }

  /** The port it listens on (METRICS_PORT, or the one the system chose for 0). */
  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('the metrics server is not listening');
    return address.port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
