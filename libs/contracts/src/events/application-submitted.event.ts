import { Type } from '@sinclair/typebox';
import { Instant, Static, Uuid } from '../schema/schema-types';
import { EXAMPLE_ORGANISATION } from './organisation-example';
import { OrganisationFields } from './organisation-profile';

export const ApplicationSubmittedV1 = Type.Object(
  { ...OrganisationFields, applicationId: Uuid(), submittedAt: Instant() },
  {
    title: 'ApplicationSubmittedV1',
    examples: [
      {
        ...EXAMPLE_ORGANISATION,
        applicationId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
        submittedAt: '2026-01-05T08:00:00.000Z',
      },
    ],
    description: "An organisation applied to join the cluster. aggregateId = the organisation's id.",
  },
);
export type ApplicationSubmittedV1 = Static<typeof ApplicationSubmittedV1>;
