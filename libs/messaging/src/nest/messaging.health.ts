import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MessageTransport } from '../transport/message-transport';
import { ConsumerRegistry } from './consumer-registry';
import { MESSAGE_TRANSPORT } from './messaging.options';

/** Readiness: Kafka answers a metadata request and no consumer of this process has crashed. */
@Injectable()
export class MessagingHealthIndicator {
  constructor(
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    private readonly registry: ConsumerRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'kafka'): Promise<HealthIndicatorResult> {
    const check = this.health.check(key);
    try {
      await withTimeout(this.transport.ping(), 3_000);
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    }
    const crashed = this.registry.unhealthy();
    return crashed.length === 0 ? check.up() : check.down({ message: 'consumers not running', consumers: crashed });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
