/**
 * Kafka topic names.
 *
 * !!! NEVER rename a topic or change its key without a migration plan: topics hold the
 * !!! whole event history that the read models (directory, reporting) are rebuilt from,
 * !!! and every service's consumer group offsets point into them.
 *
 * Every event about one organisation, as applicant and later as member, is keyed by
 * that organisation's id, so Kafka keeps all its events in one partition, in order.
 */
export const Topics = {
  /** Application and member lifecycle, produced by membership only. Key: organisation id. */
  MembershipLifecycle: 'valley.membership.lifecycle.v1',
  /** NotificationSent / NotificationFailed, produced by notifications only. Key: delivery id. */
  NotificationDeliveries: 'valley.notifications.deliveries.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** One dead-letter topic per consuming service: what it could not process, with the reason in headers. */
export function deadLetterTopic(service: ServiceName): string {
  return `valley.${service}.dead-letter.v1`;
}

export const ServiceNames = ['membership', 'directory', 'notifications', 'reporting'] as const;
export type ServiceName = (typeof ServiceNames)[number];
