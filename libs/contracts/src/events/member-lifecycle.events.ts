import { Type } from '@sinclair/typebox';
import { FocusAreaList, SectorCodes, ConsentPayload, ContactPayload, VisibilityPayload } from './organisation-profile';
import { OrganisationTypes, SizeClasses } from '../membership/vocabulary';
import { SealedPersonalData } from './personal-data.events';
import { Day, Formatted, Instant, Maybe, OneOf, RequiredText, Static, Text, Uuid } from '../schema/schema-types';

export const MemberProfileChanges = Type.Object(
  {
    legalName: Type.Optional(RequiredText(300)),
    country: Type.Optional(Formatted('country')),
    region: Type.Optional(RequiredText(100)),
    organisationType: Type.Optional(OneOf(OrganisationTypes)),
    sizeClass: Type.Optional(OneOf(SizeClasses)),
    sectorCodes: Type.Optional(SectorCodes),
    focusAreas: Type.Optional(FocusAreaList),
    website: Maybe(Formatted('uri')),
    description: Maybe(Text({ maxLength: 5000 })),
    statement: Maybe(Text({ maxLength: 2000 })),
    logoUrl: Maybe(Formatted('uri')),
    contact: Type.Optional(ContactPayload),
    consent: Type.Optional(ConsentPayload),
    visibility: Type.Optional(VisibilityPayload),
  },
  {
    title: 'MemberProfileChanges',
    description: 'Profile fields a member may change; only the changed ones are present (null: cleared).',
  },
);
export type MemberProfileChanges = Static<typeof MemberProfileChanges>;

export const MemberProfileUpdatedV1 = Type.Object(
  {
    memberId: Uuid(),
    version: Type.Integer({ minimum: 1, description: "The member's version after the change." }),
    changedFields: Type.Array(Type.String(), {
      minItems: 1,
      description:
        'Names of the fields that changed; `changes` holds their new values (whole objects for contact, consent, visibility).',
    }),
    changes: MemberProfileChanges,
  },
  {
    title: 'MemberProfileUpdatedV1',
    examples: [
      {
        memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
        version: 3,
        changedFields: ['website', 'consent'],
        changes: {
          website: 'https://www.tiksli-mechanika.lt',
          consent: { publicListing: true, announcements: false, publicContact: true },
        },
      },
    ],
    description: "A member's profile or consent changed. aggregateId = memberId.",
  },
);
export type MemberProfileUpdatedV1 = Static<typeof MemberProfileUpdatedV1>;

/** Since V2 the changed contact, description and statement travel sealed in `personal` (see ApplicationSubmittedV2). */
export const MemberProfileUpdatedV2 = Type.Object(
  { ...MemberProfileUpdatedV1.properties, personal: Type.Optional(SealedPersonalData) },
  {
    title: 'MemberProfileUpdatedV2',
    examples: MemberProfileUpdatedV1.examples,
    description: MemberProfileUpdatedV1.description,
  },
);
export type MemberProfileUpdatedV2 = Static<typeof MemberProfileUpdatedV2>;

export const MemberSuspendedV1 = Type.Object(
  { memberId: Uuid(), reason: RequiredText(2000), suspendedAt: Instant() },
  {
    title: 'MemberSuspendedV1',
    examples: [
      {
        memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
        reason: 'Nesumokėtas metinis mokestis.',
        suspendedAt: '2026-03-01T09:00:00.000Z',
      },
    ],
    description: 'The coordinator suspended a member. aggregateId = memberId.',
  },
);
export type MemberSuspendedV1 = Static<typeof MemberSuspendedV1>;

export const MemberReinstatedV1 = Type.Object(
  { memberId: Uuid(), reason: Maybe(Text({ maxLength: 2000 })), reinstatedAt: Instant() },
  {
    title: 'MemberReinstatedV1',
    examples: [
      {
        memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
        reason: 'Mokestis sumokėtas.',
        reinstatedAt: '2026-03-15T09:00:00.000Z',
      },
    ],
    description: 'The coordinator lifted a suspension. aggregateId = memberId.',
  },
);
export type MemberReinstatedV1 = Static<typeof MemberReinstatedV1>;

export const MembershipEndedV1 = Type.Object(
  { memberId: Uuid(), reason: RequiredText(2000), endedOn: Day('The calendar day the membership ended.') },
  {
    title: 'MembershipEndedV1',
    examples: [{ memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f', reason: 'Narys išstojo.', endedOn: '2026-12-31' }],
    description: 'A membership ended (left, excluded, dissolved). aggregateId = memberId.',
  },
);
export type MembershipEndedV1 = Static<typeof MembershipEndedV1>;
