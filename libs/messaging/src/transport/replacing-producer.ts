import { InfrastructureError } from '../failures/failure-kind';
import { LogSink } from '../logging';
import { MessageProducer, OutgoingMessage } from './message-transport';

/** One client connection of a producer: what ReplacingProducer replaces. */
export interface ProducerClient {
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ReplacingProducerOptions {
  /** A connected client (for kafkajs: a new idempotent producer, with a new producer id). */
  connect: () => Promise<ProducerClient>;
  /** A send that has not settled by then fails, and the client is replaced. */
  sendTimeoutMs: number;
  logger: LogSink;
}

/** A send that neither succeeded nor failed in time: whether the broker wrote it is unknown. */
export class ProducerSendTimeoutError extends InfrastructureError {
  constructor(timeoutMs: number) {
    super(`the producer did not settle a send within ${timeoutMs} ms`);
  }
}

/**
 * A producer that sends one batch at a time, and replaces its client after a send that failed.
 *
 * An idempotent Kafka producer numbers its batches per partition, and may only retry the very
 * batch whose fate it does not know. Our callers retry differently: the outbox relay selects its
 * rows again and sends a batch of another size. After a send that failed (or hung), the broker may
 * or may not hold it, and the old client's sequence numbers no longer match anything the broker
 * accepts: kafkajs then answers OUT_OF_ORDER_SEQUENCE_NUMBER to every send, for good (kafkajs#598).
 * A new client gets a new producer id and starts its sequences afresh. What the broker did write
 * is sent twice, which every consumer drops by eventId (the inbox).
 */
export class ReplacingProducer implements MessageProducer {
  private client: ProducerClient | null = null;
  private replaceBeforeNextSend = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How many times the client was replaced: for tests and logs. */
  replacements = 0;

  private constructor(private readonly options: ReplacingProducerOptions) {}

  /** Connects the first client: a broker that cannot be reached fails this call. */
  static async connect(options: ReplacingProducerOptions): Promise<ReplacingProducer> {
    const producer = new ReplacingProducer(options);
    producer.client = await options.connect();
    return producer;
  }

  /** Sends after every send called before it; a call after `disconnect()` is refused. */
  send(messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the producer is disconnected'));
    const next = this.queue.then(() => this.sendNow(messages));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.queue;
    const client = this.client;
    this.client = null;
    await client?.disconnect();
  }

  private async sendNow(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const client = await this.usableClient();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProducerSendTimeoutError(this.options.sendTimeoutMs)),
        this.options.sendTimeoutMs,
      );
    });
    try {
      await Promise.race([client.send(messages), timeout]);
    } catch (error) {
      this.replaceBeforeNextSend = true;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async usableClient(): Promise<ProducerClient> {
    if (this.client && !this.replaceBeforeNextSend) return this.client;
    const old = this.client;
    this.client = null;
    // The old client may hang in its own retries: its disconnect is not waited for.
    old?.disconnect().catch(() => undefined);
    this.client = await this.options.connect();
    this.replaceBeforeNextSend = false;
    this.replacements += 1;
    this.options.logger.warn(
      { component: 'producer', replacements: this.replacements },
      'producer replaced after a failed send',
    );
    return this.client;
  }
}
