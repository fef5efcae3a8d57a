import { ServiceName } from '@valley/contracts';
import { RetryPolicy } from '../consumer/retry-policy';
import { LogSink } from '../logging';

export interface MessagingOptions {
  service: ServiceName;
  brokers: string[];
  topicPrefix: string;
  logger: LogSink;
  retry: RetryPolicy;
  /** Partitions for topics this service creates when missing. */
  defaultPartitions: number;
  /** Called when the Kafka client gives up restarting a consumer; defaults to exiting the process. */
  onFatal?: (error: Error) => void;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const MESSAGE_TRANSPORT = Symbol('MESSAGE_TRANSPORT');
export const EVENT_PRODUCER = Symbol('EVENT_PRODUCER');
