import { Type } from '@sinclair/typebox';
import {
  ContactLanguages,
  FocusAreas,
  NACE_CODE_PATTERN,
  OrganisationTypes,
  SizeClasses,
  Visibilities,
  VisibleField,
} from '../membership/vocabulary';
import { Formatted, Maybe, OneOf, RequiredText, Static, Text } from '../schema/schema-types';

/** Parts of an organisation that several events carry. */

export const ContactPayload = Type.Object(
  {
    name: RequiredText(200),
    email: Formatted('email'),
    phone: Type.Optional(Text({ maxLength: 40 })),
    language: OneOf(ContactLanguages, { description: 'The language emails to the contact are written in.' }),
  },
  { title: 'ContactPayload', description: 'The contact person of an organisation.' },
);
export type ContactPayload = Static<typeof ContactPayload>;

export const ConsentPayload = Type.Object(
  {
    publicListing: Type.Boolean({ description: 'The member may appear in the public directory.' }),
    announcements: Type.Boolean({ description: "The contact wants the cluster's announcements (new members, news)." }),
    publicContact: Type.Optional(
      Type.Boolean({ description: "The directory may show the contact's name, email and phone (absent: no)." }),
    ),
  },
  { title: 'ConsentPayload' },
);
export type ConsentPayload = Static<typeof ConsentPayload>;

const VisibilityChoice = Type.Optional(OneOf(Visibilities));

export const VisibilityPayload = Type.Object(
  {
    contactName: VisibilityChoice,
    contactEmail: VisibilityChoice,
    contactPhone: VisibilityChoice,
    website: VisibilityChoice,
    description: VisibilityChoice,
    statement: VisibilityChoice,
    logo: VisibilityChoice,
  } satisfies Record<VisibleField, unknown>,
  {
    title: 'VisibilityPayload',
    description:
      'Who sees each directory field: public (anyone), members (signed-in members and coordinators) or hidden. ' +
      'An absent field keeps the default: contact details public only with consent.publicContact, the rest public. ' +
      'Without consent.publicContact the contact fields stay hidden whatever is chosen.',
  },
);
export type VisibilityPayload = Static<typeof VisibilityPayload>;

export const SectorCodes = Type.Array(Type.String({ pattern: NACE_CODE_PATTERN.source }), {
  minItems: 1,
  description: 'NACE Rev. 2 codes (C, C26, C26.1, C26.11).',
});
export const FocusAreaList = Type.Array(OneOf(FocusAreas), { minItems: 1 });

/** The organisation's profile, as applied and as admitted. */
export const OrganisationFields = {
  legalName: RequiredText(300),
  registrationCode: RequiredText(40, 'The national company code (Lithuania: 9 digits).'),
  country: Formatted('country'),
  region: RequiredText(100),
  organisationType: OneOf(OrganisationTypes),
  sizeClass: OneOf(SizeClasses, { description: 'The EU SME size class.' }),
  sectorCodes: SectorCodes,
  focusAreas: FocusAreaList,
  website: Maybe(Formatted('uri')),
  description: Maybe(Text({ maxLength: 5000 })),
  contact: ContactPayload,
  consent: ConsentPayload,
};
