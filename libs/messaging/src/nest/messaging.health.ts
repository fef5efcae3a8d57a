import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { errorMessage } from '../failures/failure-kind';
import { ConsumerLagMonitor } from '../metrics/consumer-lag';
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
    @Optional() private readonly lag?: ConsumerLagMonitor,
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
   * not stalled on the database or the broker, not crashed. Each one's state, since when and why,
   * and its lag (messages behind per partition, the oldest unprocessed event's age: see
   * ConsumerLag), as last read; waiting at most a second for a new read, and never down for it.
   */
  async consumers(key = 'consumers'): Promise<HealthIndicatorResult> {
    const check = this.health.check(key);
    const lag = await this.lag?.read(1_000).catch(() => undefined);
    const consumers: Record<string, object> = this.registry.views();
    if (lag) {
      for (const [name, view] of Object.entries(consumers)) {
        const of = lag.consumers[name];
        if (!of) continue;
        consumers[name] = {
          ...view,
          lag: {
            messages: of.messages,
            oldestUnprocessedAgeSeconds: of.oldestUnprocessedAgeSeconds,
            partitions: of.partitions.map(({ topic, partition, lag: behind }) => ({ topic, partition, lag: behind })),
          },
        };
      }
    }
    const lagRead = lag ? { lagReadAt: lag.readAt, ...(lag.failing ? { lagFailing: lag.failing } : {}) } : {};
    const notReady = this.registry.notReady();
    return notReady.length === 0
      ? check.up({ consumers, ...lagRead })
      : check.down({ message: `not consuming: ${notReady.join(', ')}`, consumers, ...lagRead });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
