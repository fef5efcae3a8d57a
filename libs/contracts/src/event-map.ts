import { ApplicationRejectedV1, ApplicationWithdrawnV1 } from './events/application-decided.events';
import { ApplicationSubmittedV1 } from './events/application-submitted.event';
import { MemberAdmittedV1 } from './events/member-admitted.event';
import {
  MemberProfileUpdatedV1,
  MemberReinstatedV1,
  MembershipEndedV1,
  MemberSuspendedV1,
} from './events/member-lifecycle.events';
import { NotificationFailedV1, NotificationSentV1 } from './events/notification.events';
import { Topic, Topics } from './topics';

/**
 * The typed event map: producing or handling an event by its name gives its payload type,
 * and a misspelt name does not compile.
 *
 * !!! An event type name is never renamed. A breaking payload change is a new schemaVersion
 * !!! with its own class here, published beside the old one until every consumer reads it.
 */
export const EventContracts = {
  ApplicationSubmitted: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: ApplicationSubmittedV1 },
  ApplicationRejected: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: ApplicationRejectedV1 },
  ApplicationWithdrawn: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: ApplicationWithdrawnV1 },
  MemberAdmitted: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: MemberAdmittedV1 },
  MemberProfileUpdated: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: MemberProfileUpdatedV1 },
  MemberSuspended: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: MemberSuspendedV1 },
  MemberReinstated: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: MemberReinstatedV1 },
  MembershipEnded: { topic: Topics.MembershipLifecycle, schemaVersion: 1, payload: MembershipEndedV1 },
  NotificationSent: { topic: Topics.NotificationDeliveries, schemaVersion: 1, payload: NotificationSentV1 },
  NotificationFailed: { topic: Topics.NotificationDeliveries, schemaVersion: 1, payload: NotificationFailedV1 },
} as const satisfies Record<string, { topic: Topic; schemaVersion: number; payload: new () => object }>;

export type EventType = keyof typeof EventContracts;
export type PayloadOf<T extends EventType> = InstanceType<(typeof EventContracts)[T]['payload']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventContracts, type);
}
