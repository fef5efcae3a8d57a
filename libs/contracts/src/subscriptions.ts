import { EventType } from './event-map';
import { ServiceName, Topic, Topics } from './topics';

/** One consumer group: what it reads and acts on (any other event on its topics is skipped). */
export interface Subscription {
  service: ServiceName;
  /** Consumer group name, stable forever: renaming it replays the whole history. */
  consumer: string;
  topics: readonly Topic[];
  handles: readonly EventType[];
  description: string;
}

/**
 * Every consumer group of the system, as the services' @ConsumeEvents handlers declare them, and
 * as the AsyncAPI document (asyncapi.json) shows who consumes what.
 */
export const Subscriptions = {
  directoryProjection: {
    service: 'directory',
    consumer: 'directory-projection',
    topics: [Topics.MembershipLifecycle],
    handles: [
      'MemberAdmitted',
      'MemberProfileUpdated',
      'MemberSuspended',
      'MemberReinstated',
      'MembershipEnded',
      'PersonalDataErased',
    ],
    description: 'The public directory: who is listed, with what profile.',
  },
  directoryKeys: {
    service: 'directory',
    consumer: 'directory-personal-data-keys',
    topics: [Topics.MembershipKeys],
    handles: ['PersonalDataKeyIssued', 'PersonalDataKeyShredded'],
    description: "The organisations' keys the directory opens contacts and descriptions with.",
  },
  notificationsPlanner: {
    service: 'notifications',
    consumer: 'notifications-planner',
    topics: [Topics.MembershipLifecycle, Topics.MembershipAccess, Topics.DirectoryWebhooks],
    handles: [
      'ApplicationSubmitted',
      'ApplicationRejected',
      'MemberAdmitted',
      'MemberProfileUpdated',
      'MemberSuspended',
      'MemberReinstated',
      'MembershipEnded',
      'PersonalDataErased',
      'ApplicantAccessIssued',
      'MemberSignInLinkIssued',
      'WebhookSubscriptionPaused',
    ],
    description: 'The emails each lifecycle step causes, and the contact book they are addressed from.',
  },
  notificationsKeys: {
    service: 'notifications',
    consumer: 'notifications-personal-data-keys',
    topics: [Topics.MembershipKeys],
    handles: ['PersonalDataKeyIssued', 'PersonalDataKeyShredded'],
    description: "The organisations' keys notifications opens contacts with.",
  },
  reportingFacts: {
    service: 'reporting',
    consumer: 'reporting-membership',
    topics: [Topics.MembershipLifecycle, Topics.NotificationDeliveries],
    handles: [
      'ApplicationSubmitted',
      'ApplicationRejected',
      'ApplicationWithdrawn',
      'MemberAdmitted',
      'MemberProfileUpdated',
      'MemberSuspended',
      'MemberReinstated',
      'MembershipEnded',
      'NotificationSent',
      'NotificationFailed',
      'NotificationBounced',
    ],
    description: 'The facts the growth, composition, funnel and notification reports are computed from.',
  },
} as const satisfies Record<string, Subscription>;
