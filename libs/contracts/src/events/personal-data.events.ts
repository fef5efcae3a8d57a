import { Type } from '@sinclair/typebox';
import { Instant, Static, Uuid } from '../schema/schema-types';

/**
 * Crypto-shredding. The personal parts of an organisation's lifecycle events (its contact, its
 * description and statement) travel sealed with a key of that organisation's own (see
 * personal-data/personal-fields.ts). Membership keeps the keys; the services that need the
 * personal data read them from the compacted keys topic. Erasing an organisation shreds its key:
 * every sealed copy on the lifecycle topic's history becomes unreadable at once.
 */

const JWE_COMPACT = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';

/** A JWE in compact serialisation (RFC 7516), its `kid` the organisation's id. */
export const SealedPersonalData = Type.String({
  pattern: JWE_COMPACT,
  maxLength: 40_000,
  description:
    "The event's personal fields (contact, description, statement) as JSON, encrypted with the organisation's " +
    'key (JWE, dir + A256GCM, kid = organisation id). Absent on events published before sealing began.',
});

export const PersonalDataKeyIssuedV1 = Type.Object(
  {
    organisationId: Uuid(),
    wrappedKey: Type.String({
      pattern: JWE_COMPACT,
      maxLength: 2000,
      description: "The organisation's data key, wrapped with the personal-data master key (JWE, A256KW + A256GCM).",
    }),
    issuedAt: Instant(),
  },
  {
    title: 'PersonalDataKeyIssuedV1',
    examples: [
      {
        organisationId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f',
        wrappedKey:
          'eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiOGQzYzJmNGUtNWI2YS00YzFkLTllN2YtMGExYjJjM2Q0ZTVmIn0.' +
          'bm90LWEtcmVhbC1rZXktbm90LWEtcmVhbC1rZXktbm90LWE.aXYtaXYtaXYtaXY.Y2lwaGVydGV4dC1jaXBoZXJ0ZXh0LWNpcGhlcnRleHQ.dGFnLXRhZy10YWctdGFn',
        issuedAt: '2026-01-05T08:00:00.000Z',
      },
    ],
    description:
      "An organisation's personal-data key, for the services that read its sealed fields. aggregateId = organisation id. " +
      'On the compacted keys topic: the latest message per organisation is what counts.',
  },
);
export type PersonalDataKeyIssuedV1 = Static<typeof PersonalDataKeyIssuedV1>;

export const PersonalDataKeyShreddedV1 = Type.Object(
  { organisationId: Uuid(), shreddedAt: Instant() },
  {
    title: 'PersonalDataKeyShreddedV1',
    examples: [{ organisationId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f', shreddedAt: '2027-02-01T10:00:00.000Z' }],
    description:
      "An organisation's key is destroyed: forget it. It replaces PersonalDataKeyIssued as the latest message of its " +
      'key on the compacted keys topic, so compaction removes the key from Kafka too. aggregateId = organisation id.',
  },
);
export type PersonalDataKeyShreddedV1 = Static<typeof PersonalDataKeyShreddedV1>;

export const PersonalDataErasedV1 = Type.Object(
  { organisationId: Uuid(), erasedAt: Instant() },
  {
    title: 'PersonalDataErasedV1',
    examples: [{ organisationId: '8d3c2f4e-5b6a-4c1d-9e7f-0a1b2c3d4e5f', erasedAt: '2027-02-01T10:00:00.000Z' }],
    description:
      "The coordinator erased an organisation's personal data (GDPR Art. 17): every service forgets its contact, " +
      'description and statement, and its earlier events can no longer be opened. Neither the reason nor what was ' +
      'erased travels. aggregateId = organisation id.',
  },
);
export type PersonalDataErasedV1 = Static<typeof PersonalDataErasedV1>;
