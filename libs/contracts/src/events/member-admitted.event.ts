import { Type } from '@sinclair/typebox';
import { MembershipTypes } from '../membership/vocabulary';
import { Day, Formatted, Maybe, OneOf, Static, Text, Uuid } from '../schema/schema-types';
import { EXAMPLE_ORGANISATION } from './organisation-example';
import { ContactPayload, OrganisationFields, VisibilityPayload } from './organisation-profile';
import { SealedPersonalData } from './personal-data.events';

export const MemberAdmittedV1 = Type.Object(
  {
    ...OrganisationFields,
    memberId: Uuid("The organisation's id: the same id it had as an applicant."),
    membershipType: OneOf(MembershipTypes),
    admittedOn: Day('The calendar day of admission.'),
    applicationId: Maybe(Uuid('The application it was admitted from; absent for founding members.')),
    statement: Maybe(Text({ maxLength: 2000, description: "The member's public statement." })),
    logoUrl: Maybe(Formatted('uri')),
    visibility: Type.Optional(VisibilityPayload),
  },
  {
    title: 'MemberAdmittedV1',
    examples: [
      {
        ...EXAMPLE_ORGANISATION,
        memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
        membershipType: 'full',
        admittedOn: '2026-01-20',
        applicationId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
        statement: 'Ieškome partnerių bendriems projektams.',
        logoUrl: null,
      },
    ],
    description: 'The coordinator admitted an organisation (or it is a founding member). aggregateId = memberId.',
  },
);
export type MemberAdmittedV1 = Static<typeof MemberAdmittedV1>;

/** Since V2 the contact, description and statement travel sealed in `personal` (see ApplicationSubmittedV2). */
export const MemberAdmittedV2 = Type.Object(
  {
    ...MemberAdmittedV1.properties,
    contact: Type.Optional(ContactPayload),
    personal: Type.Optional(SealedPersonalData),
  },
  { title: 'MemberAdmittedV2', examples: MemberAdmittedV1.examples, description: MemberAdmittedV1.description },
);
export type MemberAdmittedV2 = Static<typeof MemberAdmittedV2>;
