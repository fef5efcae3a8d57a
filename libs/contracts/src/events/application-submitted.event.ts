import { Type } from '@sinclair/typebox';
import { Instant, Static, Uuid } from '../schema/schema-types';
import { EXAMPLE_ORGANISATION } from './organisation-example';
import { ContactPayload, OrganisationFields } from './organisation-profile';
import { SealedPersonalData } from './personal-data.events';

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

/**
 * Since V2 the contact and the description travel sealed in `personal` (see personal-data.events.ts);
 * `contact` is absent then, and absent for good once the organisation is erased. V1 events carry
 * them in the clear and are read as they are.
 */
export const ApplicationSubmittedV2 = Type.Object(
  {
    ...OrganisationFields,
    contact: Type.Optional(ContactPayload),
    personal: Type.Optional(SealedPersonalData),
    applicationId: Uuid(),
    submittedAt: Instant(),
  },
  {
    title: 'ApplicationSubmittedV2',
    examples: ApplicationSubmittedV1.examples,
    description: ApplicationSubmittedV1.description,
  },
);
export type ApplicationSubmittedV2 = Static<typeof ApplicationSubmittedV2>;
