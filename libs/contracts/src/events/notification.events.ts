import { Type } from '@sinclair/typebox';
import { ContactLanguages } from '../membership/vocabulary';
import { Instant, OneOf, RequiredText, Static, Uuid } from '../schema/schema-types';

/** Who an email went to, without saying who (topics keep their history: no addresses on them). */
export const RecipientKinds = ['applicant', 'coordinator', 'member'] as const;
export type RecipientKind = (typeof RecipientKinds)[number];

const DeliveryOutcomeFields = {
  deliveryId: Uuid(),
  causeEventId: Uuid('The event that caused the email.'),
  causeEventType: Type.String({ minLength: 1 }),
  template: RequiredText(100),
  language: OneOf(ContactLanguages),
  recipientKind: OneOf(RecipientKinds),
  attempts: Type.Integer({ minimum: 1 }),
};

const EXAMPLE_OUTCOME = {
  deliveryId: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
  causeEventId: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
  causeEventType: 'MemberAdmitted',
  template: 'member_welcome',
  language: 'lt',
  recipientKind: 'member',
} as const;

export const NotificationSentV1 = Type.Object(
  { ...DeliveryOutcomeFields, sentAt: Instant() },
  {
    title: 'NotificationSentV1',
    examples: [
      {
        ...EXAMPLE_OUTCOME,
        attempts: 1,
        sentAt: '2026-01-20T10:00:02.000Z',
      },
    ],
    description: 'An email was accepted by the SMTP server. aggregateId = deliveryId.',
  },
);
export type NotificationSentV1 = Static<typeof NotificationSentV1>;

export const NotificationFailedV1 = Type.Object(
  { ...DeliveryOutcomeFields, reason: RequiredText(2000), failedAt: Instant() },
  {
    title: 'NotificationFailedV1',
    examples: [
      {
        ...EXAMPLE_OUTCOME,
        attempts: 5,
        reason: '550 5.1.1 mailbox unavailable',
        failedAt: '2026-01-20T12:00:00.000Z',
      },
    ],
    description: 'An email failed for good (permanent refusal or out of tries). aggregateId = deliveryId.',
  },
);
export type NotificationFailedV1 = Static<typeof NotificationFailedV1>;

/** `smtp`: the relay refused the recipient (5xx at RCPT TO); `dsn`: a bounce report (RFC 3464) came back. */
export const BounceSources = ['smtp', 'dsn'] as const;
export type BounceSource = (typeof BounceSources)[number];

export const NotificationBouncedV1 = Type.Object(
  {
    deliveryId: Type.Union([
      Uuid('The delivery that bounced; null when a bounce report named no message of ours.'),
      Type.Null(),
    ]),
    source: OneOf(BounceSources),
    statusCode: Type.Union([
      Type.String({ pattern: '^[245]\\.\\d{1,3}\\.\\d{1,3}$', description: 'Enhanced status code (RFC 3463).' }),
      Type.Null(),
    ]),
    bouncedAt: Instant(),
  },
  {
    title: 'NotificationBouncedV1',
    examples: [
      {
        deliveryId: EXAMPLE_OUTCOME.deliveryId,
        source: 'dsn',
        statusCode: '5.1.1',
        bouncedAt: '2026-01-20T10:05:00.000Z',
      },
    ],
    description:
      'An address bounced for good; it gets no mail until the contact changes its email. No address on the topic. ' +
      "aggregateId = deliveryId (or the bounce's own id when no delivery is known).",
  },
);
export type NotificationBouncedV1 = Static<typeof NotificationBouncedV1>;
