import { deadLetterTopic } from '@valley/contracts';
import { ConsumerStatus } from '../consumer/consumer-status';
import { DeadLetterPublisher } from '../consumer/dead-letter';
import { EventBatchProcessor } from '../consumer/event-batch-processor';
import { EventHandler } from '../consumer/event-handler';
import { backoffDelay } from '../consumer/retry-policy';
import { errorMessage } from '../failures/failure-kind';
import { ConsumerInstruments, MessagingMetrics } from '../metrics/consumer-metrics';
import { MessageProducer, MessageTransport, RunningConsumer } from '../transport/message-transport';
import { ConsumerRegistry } from './consumer-registry';
import { MessagingOptions } from './messaging.options';

/**
 * Runs one EventHandler as a Kafka consumer group, from start() to stop() (EventBatchServer runs
 * one per @ConsumeEvents handler). It starts in the background: joining the group can take up to
 * the session timeout after a restart, and the HTTP server (liveness above all) must not wait for
 * it; /health says it is joining.
 */
export class EventConsumerHost {
  private running: RunningConsumer | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;
  private readonly status = new ConsumerStatus();
  private readonly instruments: ConsumerInstruments;

  constructor(
    private readonly handler: EventHandler,
    private readonly transport: MessageTransport,
    private readonly producer: MessageProducer,
    private readonly options: MessagingOptions,
    private readonly registry: ConsumerRegistry,
    metrics: MessagingMetrics = new MessagingMetrics(),
  ) {
    this.instruments = metrics.consumer(handler.consumerName);
  }

  start(): void {
    this.registry.add(this.handler.consumerName, this.status, {
      topics: this.handler.topics,
      instruments: this.instruments,
    });
    this.starting = this.connect();
  }

  /** Connects and subscribes, trying again with backoff while the broker cannot be reached. */
  private async connect(): Promise<void> {
    const { handler, options } = this;
    const deadLetters = new DeadLetterPublisher(this.producer, deadLetterTopic(options.service), handler.consumerName);
    const processor = new EventBatchProcessor(handler, deadLetters, options.retry, options.logger, {
      chunkSize: 500,
      status: this.status,
      failureKinds: options.failureKinds,
      metrics: this.instruments,
    });
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        let started: RunningConsumer | null = null;
        let gaveUp: Error | null = null;
        const running = await this.transport.startConsumer({
          groupId: handler.consumerName,
          topics: [...handler.topics],
          fromBeginning: true,
          sessionTimeoutMs: options.sessionTimeoutMs,
          partitionsConcurrently: handler.partitionsConcurrently,
          onBatch: (messages, control) => processor.process(messages, control),
          onJoined: () => this.status.joined(),
          onFatal: (error) => {
            gaveUp = error;
            if (started) this.replace(started, error);
          },
        });
        if (this.stopped) return void (await running.stop());
        started = running;
        this.running = running;
        options.logger.info({ consumer: handler.consumerName, topics: handler.topics }, 'consumer started, joining');
        if (gaveUp) this.replace(running, gaveUp);
        return;
      } catch (error) {
        const delay = backoffDelay(options.retry, Math.min(attempt, 10));
        this.status.cannotStart(errorMessage(error));
        options.logger.warn({ consumer: handler.consumerName, err: error, retryInMs: delay }, 'consumer cannot start');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * The Kafka client stopped a consumer for good (an error it does not retry, seen after a broker
   * restart): the failure is the infrastructure's, so it is waited out here, in this process, by a
   * new consumer that resumes from the committed offsets.
   */
  private replace(crashed: RunningConsumer, error: Error): void {
    if (this.stopped || this.running !== crashed) return;
    this.running = null;
    this.status.restarting(errorMessage(error));
    this.options.logger.error(
      { consumer: this.handler.consumerName, err: error },
      'the Kafka client gave up on the consumer; starting a new one',
    );
    this.starting = crashed
      .stop()
      .catch((stopError: unknown) =>
        this.options.logger.warn({ consumer: this.handler.consumerName, err: stopError }, 'stopping it failed'),
      )
      .then(() => this.connect());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.registry.remove(this.handler.consumerName);
    await this.starting;
    await this.running?.stop();
    this.running = null;
  }
}
