import { Controller, Get, Header, Injectable, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { OutboxRelay } from '@valley/messaging';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one service process: Node's defaults and, for a producing service,
 * the outbox relay's lag. One registry per application (tests run several apps in one process).
 */
@Injectable()
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(@Optional() relay?: OutboxRelay) {
    collectDefaultMetrics({ register: this.registry, prefix: 'valley_' });
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

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format), including the outbox lag.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics.' })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
