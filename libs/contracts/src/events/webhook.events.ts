import { Type } from '@sinclair/typebox';
import { Instant, RequiredText, Static, Uuid } from '../schema/schema-types';

export const WebhookSubscriptionPausedV1 = Type.Object(
  {
    subscriptionId: Uuid(),
    url: RequiredText(2000, 'The partner’s endpoint (an organisation’s, not a person’s).'),
    description: Type.Union([RequiredText(200), Type.Null()]),
    failures: Type.Integer({ minimum: 1, description: 'Deliveries failed for good in a row.' }),
    reason: RequiredText(2000),
    pausedAt: Instant(),
  },
  {
    title: 'WebhookSubscriptionPausedV1',
    examples: [
      {
        subscriptionId: '3f1e2d4c-5b6a-4789-8a0b-1c2d3e4f5a6b',
        url: 'https://partner.example.lt/valley/webhooks',
        description: 'Kauno klasterio portalas',
        failures: 5,
        reason: '5 deliveries in a row failed; the last: 12 tries, the last: answered 503 Service Unavailable',
        pausedAt: '2026-12-02T10:00:00.000Z',
      },
    ],
    description:
      'A partner’s webhook subscription kept failing and gets nothing until a coordinator resumes it. aggregateId = subscriptionId.',
  },
);
export type WebhookSubscriptionPausedV1 = Static<typeof WebhookSubscriptionPausedV1>;
