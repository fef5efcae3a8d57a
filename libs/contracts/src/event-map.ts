import { Static, TObject } from '@sinclair/typebox';
import { ApplicantAccessIssuedV1, MemberSignInLinkIssuedV1 } from './events/application-access.event';
import { ApplicationRejectedV1, ApplicationWithdrawnV1 } from './events/application-decided.events';
import { ApplicationSubmittedV2 } from './events/application-submitted.event';
import { MemberAdmittedV2 } from './events/member-admitted.event';
import {
  MemberProfileUpdatedV2,
  MemberReinstatedV1,
  MembershipEndedV1,
  MemberSuspendedV1,
} from './events/member-lifecycle.events';
import { NotificationBouncedV1, NotificationFailedV1, NotificationSentV1 } from './events/notification.events';
import {
  PersonalDataErasedV1,
  PersonalDataKeyIssuedV1,
  PersonalDataKeyShreddedV1,
} from './events/personal-data.events';
import { WebhookSubscriptionPausedV1 } from './events/webhook.events';
import { ServiceName, Topic, Topics } from './topics';

/** What an event is: where it travels, who publishes it, and the schema of its current payload. */
export interface EventContract {
  topic: Topic;
  producer: ServiceName;
  /** The version producers write now; older published versions are upcast (see upcasters.ts). */
  schemaVersion: number;
  payload: TObject;
}

/**
 * The typed event map: producing or handling an event by its name gives its payload type,
 * and a misspelt name does not compile.
 *
 * !!! An event type name is never renamed. A change old consumers or old stored events cannot
 * !!! take is a new schemaVersion with an upcaster from the previous one (upcasters.ts); the
 * !!! compatibility gate (published-schemas.spec.ts) holds every published version to that.
 */
export const EventContracts = {
  ApplicationSubmitted: lifecycle(ApplicationSubmittedV2, 2),
  ApplicationRejected: lifecycle(ApplicationRejectedV1),
  ApplicationWithdrawn: lifecycle(ApplicationWithdrawnV1),
  MemberAdmitted: lifecycle(MemberAdmittedV2, 2),
  MemberProfileUpdated: lifecycle(MemberProfileUpdatedV2, 2),
  MemberSuspended: lifecycle(MemberSuspendedV1),
  MemberReinstated: lifecycle(MemberReinstatedV1),
  MembershipEnded: lifecycle(MembershipEndedV1),
  PersonalDataErased: lifecycle(PersonalDataErasedV1),
  NotificationSent: {
    topic: Topics.NotificationDeliveries,
    producer: 'notifications',
    schemaVersion: 1,
    payload: NotificationSentV1,
  },
  NotificationFailed: {
    topic: Topics.NotificationDeliveries,
    producer: 'notifications',
    schemaVersion: 1,
    payload: NotificationFailedV1,
  },
  NotificationBounced: {
    topic: Topics.NotificationDeliveries,
    producer: 'notifications',
    schemaVersion: 1,
    payload: NotificationBouncedV1,
  },
  WebhookSubscriptionPaused: {
    topic: Topics.DirectoryWebhooks,
    producer: 'directory',
    schemaVersion: 1,
    payload: WebhookSubscriptionPausedV1,
  },
  PersonalDataKeyIssued: {
    topic: Topics.MembershipKeys,
    producer: 'membership',
    schemaVersion: 1,
    payload: PersonalDataKeyIssuedV1,
  },
  PersonalDataKeyShredded: {
    topic: Topics.MembershipKeys,
    producer: 'membership',
    schemaVersion: 1,
    payload: PersonalDataKeyShreddedV1,
  },
  ApplicantAccessIssued: {
    topic: Topics.MembershipAccess,
    producer: 'membership',
    schemaVersion: 1,
    payload: ApplicantAccessIssuedV1,
  },
  MemberSignInLinkIssued: {
    topic: Topics.MembershipAccess,
    producer: 'membership',
    schemaVersion: 1,
    payload: MemberSignInLinkIssuedV1,
  },
} as const satisfies Record<string, EventContract>;

function lifecycle<T extends TObject, V extends number = 1>(payload: T, schemaVersion: V = 1 as V) {
  return { topic: Topics.MembershipLifecycle, producer: 'membership', schemaVersion, payload } as const;
}

export type EventType = keyof typeof EventContracts;
export type PayloadOf<T extends EventType> = Static<(typeof EventContracts)[T]['payload']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventContracts, type);
}
