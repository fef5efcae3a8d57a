import { Type } from '@sinclair/typebox';
import { ContactLanguages } from '../membership/vocabulary';
import { Formatted, Instant, OneOf, Static, Uuid } from '../schema/schema-types';

export const APPLICANT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const ApplicantAccessIssuedV1 = Type.Object(
  {
    applicationId: Uuid(),
    applicantToken: Type.String({
      pattern: APPLICANT_TOKEN_PATTERN.source,
      description: 'As POST /applications gave it to the applicant: 256 random bits, base64url.',
    }),
  },
  {
    title: 'ApplicantAccessIssuedV1',
    examples: [
      {
        applicationId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
        applicantToken: 'q3J9cW5hY2tlZC1ieS1kZXNpZ24tbm90LWEtdG9rZW4',
      },
    ],
    description:
      "The applicant's token of an application, for the link in its acknowledgement email, on the short-lived " +
      "access topic only (never on a topic that keeps its history). aggregateId = the organisation's id.",
  },
);
export type ApplicantAccessIssuedV1 = Static<typeof ApplicantAccessIssuedV1>;

export const SIGN_IN_TOKEN_PATTERN = APPLICANT_TOKEN_PATTERN;

export const MemberSignInLinkIssuedV1 = Type.Object(
  {
    memberId: Uuid(),
    email: Formatted('email', { description: 'The address that asked: the member contact email.' }),
    language: OneOf(ContactLanguages),
    signInToken: Type.String({
      pattern: SIGN_IN_TOKEN_PATTERN.source,
      description:
        'The one-time token of the sign-in link: 256 random bits, base64url; membership keeps only its hash.',
    }),
    expiresAt: Instant('The link works once, until then (15 minutes after it was asked for).'),
  },
  {
    title: 'MemberSignInLinkIssuedV1',
    examples: [
      {
        memberId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
        email: 'ona@tiksli-mechanika.lt',
        language: 'lt',
        signInToken: 'q3J9cW5hY2tlZC1ieS1kZXNpZ24tbm90LWEtdG9rZW4',
        expiresAt: '2026-03-01T09:15:00.000Z',
      },
    ],
    description:
      "A member's contact asked for a sign-in link, for the email that carries it, on the short-lived access topic " +
      'only (never on a topic that keeps its history). aggregateId = memberId.',
  },
);
export type MemberSignInLinkIssuedV1 = Static<typeof MemberSignInLinkIssuedV1>;
