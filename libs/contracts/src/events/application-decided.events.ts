import { Type } from '@sinclair/typebox';
import { Instant, Maybe, RequiredText, Static, Text, Uuid } from '../schema/schema-types';

export const ApplicationRejectedV1 = Type.Object(
  { applicationId: Uuid(), reason: RequiredText(2000), rejectedAt: Instant() },
  {
    title: 'ApplicationRejectedV1',
    examples: [
      {
        applicationId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
        reason: 'Veikla nesusijusi su gamybos inovacijomis.',
        rejectedAt: '2026-01-12T10:15:00.000Z',
      },
    ],
    description: "The coordinator rejected an application. aggregateId = the organisation's id.",
  },
);
export type ApplicationRejectedV1 = Static<typeof ApplicationRejectedV1>;

export const ApplicationWithdrawnV1 = Type.Object(
  { applicationId: Uuid(), reason: Maybe(Text({ maxLength: 2000 })), withdrawnAt: Instant() },
  {
    title: 'ApplicationWithdrawnV1',
    examples: [
      { applicationId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', reason: null, withdrawnAt: '2026-01-08T14:00:00.000Z' },
    ],
    description: "The applicant withdrew its application before a decision. aggregateId = the organisation's id.",
  },
);
export type ApplicationWithdrawnV1 = Static<typeof ApplicationWithdrawnV1>;
