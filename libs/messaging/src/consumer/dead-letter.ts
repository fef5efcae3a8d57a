import { IncomingMessage, MessageProducer } from '../transport/message-transport';

export const DeadLetterHeaders = {
  reason: 'x-dead-letter-reason',
  sourceTopic: 'x-dead-letter-source-topic',
  sourcePartition: 'x-dead-letter-source-partition',
  sourceOffset: 'x-dead-letter-source-offset',
  consumerGroup: 'x-dead-letter-consumer-group',
  attempts: 'x-dead-letter-attempts',
  failedAt: 'x-dead-letter-failed-at',
} as const;

export interface DeadLetter {
  message: IncomingMessage;
  reason: string;
  attempts: number;
}

/** Sends what a consumer gave up on, byte for byte, to its dead-letter topic with the reason in headers. */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: MessageProducer,
    private readonly topic: string,
    private readonly consumerGroup: string,
  ) {}

  async publish(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const failedAt = new Date().toISOString();
    await this.producer.send(
      letters.map(({ message, reason, attempts }) => ({
        topic: this.topic,
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DeadLetterHeaders.reason]: reason.slice(0, 2_000),
          [DeadLetterHeaders.sourceTopic]: message.topic,
          [DeadLetterHeaders.sourcePartition]: String(message.partition),
          [DeadLetterHeaders.sourceOffset]: message.offset,
          [DeadLetterHeaders.consumerGroup]: this.consumerGroup,
          [DeadLetterHeaders.attempts]: String(attempts),
          [DeadLetterHeaders.failedAt]: failedAt,
        },
      })),
    );
  }
}
