import { ServiceName } from '@valley/contracts';
import { RetryPolicy } from '../consumer/retry-policy';
import { FailureKindsByCode } from '../failures/failure-kind';
import { LogSink } from '../logging';

export interface MessagingOptions {
  service: ServiceName;
  brokers: string[];
  topicPrefix: string;
  logger: LogSink;
  retry: RetryPolicy;
  /** Partitions for topics this service creates when missing. */
  defaultPartitions: number;
  /** Replicas of the topics this service creates, and how many must have a write (default 1 and 1). */
  replicationFactor?: number;
  minInsyncReplicas?: number;
  /** See ConsumerSubscription.sessionTimeoutMs. */
  sessionTimeoutMs: number;
  /** The service's own error codes that a consumer may meet, and the kind of failure each is. */
  failureKinds?: FailureKindsByCode;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const MESSAGE_TRANSPORT = Symbol('MESSAGE_TRANSPORT');
export const EVENT_PRODUCER = Symbol('EVENT_PRODUCER');
