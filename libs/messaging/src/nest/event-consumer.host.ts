import { BeforeApplicationShutdown, OnApplicationBootstrap, Provider, Type } from '@nestjs/common';
import { deadLetterTopic } from '@valley/contracts';
import { DeadLetterPublisher } from '../consumer/dead-letter';
import { EventBatchProcessor } from '../consumer/event-batch-processor';
import { EventHandler } from '../consumer/event-handler';
import { MessageProducer, MessageTransport, RunningConsumer } from '../transport/message-transport';
import { ConsumerRegistry } from './consumer-registry';
import { EVENT_PRODUCER, MESSAGE_TRANSPORT, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/** Runs one EventHandler as a Kafka consumer group for the lifetime of the application. */
export class EventConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: RunningConsumer | null = null;

  constructor(
    private readonly handler: EventHandler,
    private readonly transport: MessageTransport,
    private readonly producer: MessageProducer,
    private readonly options: MessagingOptions,
    private readonly registry: ConsumerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { handler, options } = this;
    const deadLetters = new DeadLetterPublisher(this.producer, deadLetterTopic(options.service), handler.consumerName);
    const processor = new EventBatchProcessor(handler, deadLetters, options.retry, options.logger);
    this.running = await this.transport.startConsumer({
      groupId: handler.consumerName,
      topics: [...handler.topics],
      fromBeginning: true,
      onBatch: (messages, control) => processor.process(messages, control),
      onFatal: options.onFatal ?? exitProcess(options),
    });
    this.registry.add(handler.consumerName, this.running);
    options.logger.info({ consumer: handler.consumerName, topics: handler.topics }, 'consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.registry.remove(this.handler.consumerName);
    await this.running.stop();
    this.running = null;
  }
}

function exitProcess(options: MessagingOptions) {
  return (error: Error) => {
    options.logger.error({ err: error }, 'consumer stopped for good; exiting so that the supervisor restarts us');
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  };
}

/**
 * Put this beside the handler class in a feature module's providers:
 * `providers: [DirectoryProjection, MembershipEventsConsumer, provideEventConsumer(MembershipEventsConsumer)]`.
 */
export function provideEventConsumer(handler: Type<EventHandler>): Provider {
  return {
    provide: `EventConsumerHost:${handler.name}`,
    useFactory: (
      instance: EventHandler,
      transport: MessageTransport,
      producer: MessageProducer,
      options: MessagingOptions,
      registry: ConsumerRegistry,
    ) => new EventConsumerHost(instance, transport, producer, options, registry),
    inject: [handler, MESSAGE_TRANSPORT, EVENT_PRODUCER, MESSAGING_OPTIONS, ConsumerRegistry],
  };
}
