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
  /** NotificationSent / NotificationFailed / NotificationBounced, produced by notifications only. Key: delivery id. */
  NotificationDeliveries: 'valley.notifications.deliveries.v1',
  /**
   * Secrets that must reach an email and nowhere else (the applicant's token for its status
   * link), produced by membership only. Key: organisation id. Its messages expire (see
   * TopicRetentionMs): nothing is rebuilt from it, and a secret must not stay in a history.
   */
  MembershipAccess: 'valley.membership.access.v1',
  /**
   * Each organisation's personal-data key (PersonalDataKeyIssued, then PersonalDataKeyShredded once
   * it is erased), produced by membership only. Key: organisation id. Compacted: only the latest
   * message of each organisation stays, so a shredded key leaves Kafka too.
   */
  MembershipKeys: 'valley.membership.keys.v1',
  /** What the coordinator must hear of partners' webhooks (a subscription paused), produced by directory only. Key: subscription id. */
  DirectoryWebhooks: 'valley.directory.webhooks.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** What each topic's messages are keyed by (Kafka keeps one key's messages in order). */
export const TopicKeys: Record<Topic, string> = {
  [Topics.MembershipLifecycle]: "The organisation's id: the same from its application through its membership.",
  [Topics.NotificationDeliveries]: "The delivery's id.",
  [Topics.MembershipAccess]: "The organisation's id.",
  [Topics.DirectoryWebhooks]: "The webhook subscription's id.",
  [Topics.MembershipKeys]: "The organisation's id.",
};

/**
 * How long each topic keeps its messages (Kafka's retention.ms; -1: for ever). The lifecycle and
 * delivery topics keep their whole history because read models are rebuilt by replaying it.
 */
export const TopicRetentionMs: Record<Topic, number> = {
  [Topics.MembershipLifecycle]: -1,
  [Topics.NotificationDeliveries]: -1,
  [Topics.MembershipAccess]: 24 * 3600 * 1000,
  [Topics.DirectoryWebhooks]: 30 * 24 * 3600 * 1000,
  [Topics.MembershipKeys]: -1,
};

/**
 * Kafka's cleanup.policy of each topic. The keys topic is compacted, and compacts soon: a segment
 * rolls within an hour, a shredded key's record is cleaned within a day (TopicCompaction).
 */
export const TopicCleanupPolicy: Record<Topic, 'delete' | 'compact'> = {
  [Topics.MembershipLifecycle]: 'delete',
  [Topics.NotificationDeliveries]: 'delete',
  [Topics.MembershipAccess]: 'delete',
  [Topics.DirectoryWebhooks]: 'delete',
  [Topics.MembershipKeys]: 'compact',
};

/** The compaction settings of compacted topics: how soon a replaced record leaves the log. */
export const TopicCompaction = {
  'segment.ms': 3600 * 1000,
  'max.compaction.lag.ms': 24 * 3600 * 1000,
  'min.cleanable.dirty.ratio': 0.01,
  'delete.retention.ms': 24 * 3600 * 1000,
} as const;

/**
 * Topics whose messages carry secrets (tokens, wrapped keys): the outbox erases the payload of a row of one as soon as
 * it is published, keeping only what it was (type, id, key) for inspection.
 */
export function isSecretTopic(topic: string): boolean {
  return topic === Topics.MembershipAccess || topic === Topics.MembershipKeys;
}

/** One dead-letter topic per consuming service: what it could not process, with the reason in headers. */
export function deadLetterTopic(service: ServiceName): string {
  return `valley.${service}.dead-letter.v1`;
}

export const ServiceNames = ['membership', 'directory', 'notifications', 'reporting'] as const;
export type ServiceName = (typeof ServiceNames)[number];
