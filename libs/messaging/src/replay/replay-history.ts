import { ServiceName, deadLetterTopic } from '@valley/contracts';
import { DeadLetterPublisher } from '../consumer/dead-letter';
import { EventBatchProcessor } from '../consumer/event-batch-processor';
import { EventHandler } from '../consumer/event-handler';
import { DEFAULT_RETRY_POLICY } from '../consumer/retry-policy';
import { LogSink } from '../logging';
import { MessageTransport, ReplayProgress } from '../transport/message-transport';

/**
 * Feeds the whole history of a handler's topics through the same handler (and the same batch
 * processor) that live consumption uses, so that a rebuilt read model equals the live one.
 * The caller empties the read model and the handler's inbox rows first.
 */
export async function replayHistory(options: {
  service: ServiceName;
  transport: MessageTransport;
  handler: EventHandler;
  logger: LogSink;
  chunkSize?: number;
  /** See ReplayOptions: only for a handler whose partitions touch different rows. */
  partitionsConcurrently?: number;
  onProgress?: (progress: ReplayProgress) => void;
}): Promise<ReplayProgress> {
  const producer = await options.transport.createProducer();
  try {
    const deadLetters = new DeadLetterPublisher(
      producer,
      deadLetterTopic(options.service),
      `${options.handler.consumerName}:rebuild`,
    );
    const processor = new EventBatchProcessor(options.handler, deadLetters, DEFAULT_RETRY_POLICY, options.logger, {
      chunkSize: options.chunkSize ?? 2_000,
    });
    return await options.transport.replay(
      [...options.handler.topics],
      (messages, control) => processor.process(messages, control),
      options.onProgress,
      { partitionsConcurrently: options.partitionsConcurrently },
    );
  } finally {
    await producer.disconnect();
  }
}
