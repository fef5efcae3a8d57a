import {
  DynamicModule,
  Global,
  Inject,
  Module,
  ModuleMetadata,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { deadLetterTopic, TopicCleanupPolicy, TopicCompaction, TopicRetentionMs, Topics } from '@valley/contracts';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ConsumerLagMonitor } from '../metrics/consumer-lag';
import { MessagingMetrics } from '../metrics/consumer-metrics';
import { OutboxCleanup } from '../outbox/outbox-cleanup';
import { OutboxRelay } from '../outbox/outbox-relay';
import { KafkajsTransport } from '../transport/kafkajs.transport';
import { MessageProducer, MessageTransport } from '../transport/message-transport';
import { ConsumerRegistry } from './consumer-registry';
import { MessagingHealthIndicator } from './messaging.health';
import { EVENT_PRODUCER, MESSAGE_TRANSPORT, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject: unknown[];
  useFactory: (...args: never[]) => MessagingOptions | Promise<MessagingOptions>;
}

/** Kafka for a service: the transport, one shared producer, consumer bookkeeping and the health check. */
@Global()
@Module({})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Every contract topic and this service's dead-letter topic exist before anything produces or consumes. */
  async onModuleInit(): Promise<void> {
    const { defaultPartitions: partitions, replicationFactor, minInsyncReplicas } = this.options;
    await this.transport.ensureTopics([
      ...Object.values(Topics).map((topic) => ({
        topic,
        partitions,
        replicationFactor,
        minInsyncReplicas,
        retentionMs: TopicRetentionMs[topic],
        ...(TopicCleanupPolicy[topic] === 'compact'
          ? { config: { 'cleanup.policy': 'compact', ...TopicCompaction } }
          : {}),
      })),
      { topic: deadLetterTopic(this.options.service), partitions, replicationFactor, minInsyncReplicas },
    ]);
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [TerminusModule, ...(options.imports ?? [])],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: options.inject as never[] },
        {
          provide: MESSAGE_TRANSPORT,
          useFactory: (o: MessagingOptions) =>
            new KafkajsTransport({
              clientId: `valley-${o.service}`,
              brokers: o.brokers,
              topicPrefix: o.topicPrefix,
              logger: o.logger,
            }),
          inject: [MESSAGING_OPTIONS],
        },
        {
          provide: EVENT_PRODUCER,
          useFactory: (transport: MessageTransport) => transport.createProducer(),
          inject: [MESSAGE_TRANSPORT],
        },
        ConsumerRegistry,
        MessagingMetrics,
        {
          provide: ConsumerLagMonitor,
          useFactory: (transport: MessageTransport, registry: ConsumerRegistry) =>
            new ConsumerLagMonitor(transport, registry),
          inject: [MESSAGE_TRANSPORT, ConsumerRegistry],
        },
        MessagingHealthIndicator,
      ],
      exports: [
        MESSAGING_OPTIONS,
        MESSAGE_TRANSPORT,
        EVENT_PRODUCER,
        ConsumerRegistry,
        MessagingMetrics,
        ConsumerLagMonitor,
        MessagingHealthIndicator,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}

/** Runs the transactional outbox relay of a producing service for the application's lifetime. */
export class OutboxRelayHost implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

export interface OutboxModuleOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  /** Hours a published row is kept (for inspection) before the hourly cleanup deletes it. */
  retentionHours: number;
}

/** The transactional outbox of a producing service: its relay, and the cleanup of published rows. */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        {
          provide: OutboxRelay,
          useFactory: (
            dataSource: DataSource,
            producer: MessageProducer,
            messaging: MessagingOptions,
            metrics: MessagingMetrics,
          ) =>
            new OutboxRelay(dataSource, producer, messaging.logger, {
              batchSize: options.batchSize ?? 500,
              pollIntervalMs: options.pollIntervalMs ?? 100,
              metrics,
            }),
          inject: [DataSource, EVENT_PRODUCER, MESSAGING_OPTIONS, MessagingMetrics],
        },
        {
          provide: OutboxRelayHost,
          useFactory: (relay: OutboxRelay) => new OutboxRelayHost(relay),
          inject: [OutboxRelay],
        },
        {
          provide: OutboxCleanup,
          useFactory: (relay: OutboxRelay, messaging: MessagingOptions) =>
            new OutboxCleanup(relay, options.retentionHours, messaging.logger),
          inject: [OutboxRelay, MESSAGING_OPTIONS],
        },
      ],
      exports: [OutboxRelay, OutboxCleanup],
    };
  }
}
