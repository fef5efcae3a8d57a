import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { TypedEvent } from '@valley/contracts';
import { lastValueFrom } from 'rxjs';
import { EventHandler } from '../consumer/event-handler';
import { MessagingMetrics } from '../metrics/consumer-metrics';
import { MessageProducer, MessageTransport } from '../transport/message-transport';
import { EVENT_BATCH_EXTRAS, EventBatchSpec } from './consume-events.decorator';
import { ConsumerRegistry } from './consumer-registry';
import { EventBatchContext } from './event-batch.context';
import { EventConsumerHost } from './event-consumer.host';
import { MessagingOptions } from './messaging.options';

export interface EventBatchServerDeps {
  transport: MessageTransport;
  producer: MessageProducer;
  options: MessagingOptions;
  registry: ConsumerRegistry;
  /** Where the consumers' counters and timings go (none when absent). */
  metrics?: MessagingMetrics;
}

/**
 * A @nestjs/microservices transport strategy over our batch consumer: every @ConsumeEvents handler
 * of the application becomes one Kafka consumer group, fed whole batches (NestJS's own Kafka
 * server hands over one message at a time and retries a failing one for ever; see system.md).
 * Nest's pipes, guards, interceptors and exception filters apply to each call; bounded retries,
 * waiting out the infrastructure, dead letters and offsets are the EventBatchProcessor's, as
 * before. Connected with `app.connectMicroservice({ strategy })` (see connectEventConsumers).
 */
export class EventBatchServer extends Server implements CustomTransportStrategy {
  private readonly hosts: EventConsumerHost[] = [];

  constructor(private readonly deps: EventBatchServerDeps) {
    super();
  }

  /** The consumer groups of this application (their specs), as the handlers declared them. */
  specs(): EventBatchSpec[] {
    return [...this.messageHandlers.values()]
      .map((handler) => handler.extras?.[EVENT_BATCH_EXTRAS] as EventBatchSpec | undefined)
      .filter((spec): spec is EventBatchSpec => spec !== undefined);
  }

  /** A consumer group's handler as our EventHandler, for live consumption and for rebuilds alike. */
  eventHandler(consumer: string): EventHandler {
    const handler = this.getHandlerByPattern(consumer);
    const spec = handler?.extras?.[EVENT_BATCH_EXTRAS] as EventBatchSpec | undefined;
    if (!handler || !spec) throw new Error(`no @ConsumeEvents handler for consumer ${consumer}`);
    return {
      consumerName: spec.consumer,
      topics: spec.topics,
      handles: spec.handles,
      partitionsConcurrently: spec.partitionsConcurrently,
      handle: (events) => this.call(handler, spec.consumer, events),
    };
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    for (const spec of this.specs()) {
      const host = new EventConsumerHost(
        this.eventHandler(spec.consumer),
        this.deps.transport,
        this.deps.producer,
        this.deps.options,
        this.deps.registry,
        this.deps.metrics,
      );
      host.start();
      this.hosts.push(host);
    }
    callback();
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.splice(0).map((host) => host.stop()));
  }

  on(): never {
    throw new Error('EventBatchServer emits no events');
  }

  unwrap<T>(): T {
    return this.deps.transport as T;
  }

  private async call(handler: MessageHandler, consumer: string, events: TypedEvent[]): Promise<void> {
    const result = await handler(events, new EventBatchContext(consumer, events));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
