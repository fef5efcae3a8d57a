import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { errorMessage } from '../failures/failure-kind';
import { MessageTransport } from '../transport/message-transport';
import { ConsumerRegistry } from './consumer-registry';
import { MESSAGE_TRANSPORT } from './messaging.options';

/** Readiness of Kafka for this process: the cluster answers, and every consumer is consuming. */
@Injectable()
export class MessagingHealthIndicator {
  constructor(
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    private readonly registry: ConsumerRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  /** The cluster answers a metadata request within 3 s. */
  async isHealthy(key = 'kafka'): Promise<HealthIndicatorResult> {
    const check = this.health.check(key);
    try {
      await withTimeout(this.transport.ping(), 3_000);
      return check.up();
    } catch (error) {
      return check.down({ message: errorMessage(error) });
    }
  }

  /**
   * Every consumer of this process is running: not still joining its group (after a restart),
   * not stalled on the database or the broker, not crashed. Each one's state, since when and why.
   */
  consumers(key = 'consumers'): HealthIndicatorResult {
    const check = this.health.check(key);
    const consumers = this.registry.views();
    const notReady = this.registry.notReady();
    return notReady.length === 0
      ? check.up({ consumers })
      : check.down({ message: `not consuming: ${notReady.join(', ')}`, consumers });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
