import type { OrganisationProfile } from '../common/organisation-profile';

type FoundingMember = OrganisationProfile & { id: string; isCoordinator: boolean };

/** The day the five founding partners formed the cluster. */
export const CLUSTER_FOUNDED_ON = '2020-04-27';

/**
 * The five founding partners of Production Innovation Valley. Ids are fixed so the seed is
 * idempotent across machines. Registration codes, contacts and profile texts are DEMO
 * placeholders (codes carry valid Lithuanian check digits; the mailboxes are .example).
 */
export const FOUNDING_MEMBERS: FoundingMember[] = [
  {
    id: '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c01',
    legalName: 'Aedilis UAB',
    registrationCode: '302512340',
    country: 'LT',
    region: 'Šiaulių apskritis',
    organisationType: 'business',
    sizeClass: 'large',
    sectorCodes: ['F41.2', 'F43.9'],
    focusAreas: ['cooperation', 'innovation_technologies', 'training_skills'],
    website: 'https://www.aedilis.lt',
    description: 'General contractor for industrial, commercial and public buildings.',
    contact: { name: 'Aedilis contact', email: 'cluster@aedilis.example', language: 'lt' },
    consent: { publicListing: true, announcements: true },
    isCoordinator: false,
  },
  {
    id: '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c02',
    legalName: 'BaltLed UAB',
    registrationCode: '302987650',
    country: 'LT',
    region: 'Šiaulių apskritis',
    organisationType: 'business',
    sizeClass: 'small',
    sectorCodes: ['C27.4'],
    focusAreas: ['innovation_technologies', 'common_marketing', 'international_development'],
    website: 'https://www.baltled.lt',
    description: 'Designs and manufactures LED lighting for industry, streets and public spaces.',
    contact: { name: 'BaltLed contact', email: 'cluster@baltled.example', language: 'lt' },
    consent: { publicListing: true, announcements: true },
    isCoordinator: false,
  },
  {
    id: '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c03',
    legalName: 'Pažangios Inovacijos UAB',
    registrationCode: '305123458',
    country: 'LT',
    region: 'Šiaulių apskritis',
    organisationType: 'business',
    sizeClass: 'micro',
    sectorCodes: ['M70.2', 'M72.1'],
    focusAreas: [
      'information_communication',
      'cooperation',
      'training_skills',
      'innovation_technologies',
      'common_marketing',
      'international_development',
      'cluster_partnerships',
    ],
    website: 'https://www.pazangiosinovacijos.lt',
    description: 'Innovation management and consulting; the coordinator of the Production Innovation Valley cluster.',
    contact: { name: 'Cluster coordinator', email: 'coordinator@pazangiosinovacijos.example', language: 'lt' },
    consent: { publicListing: true, announcements: true },
    isCoordinator: true,
  },
  {
    id: '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c04',
    legalName: 'Prezicika Metrology UAB',
    registrationCode: '305333218',
    country: 'LT',
    region: 'Šiaulių apskritis',
    organisationType: 'business',
    sizeClass: 'micro',
    sectorCodes: ['M71.2', 'C26.5'],
    focusAreas: ['innovation_technologies', 'training_skills'],
    website: null,
    description: 'Dimensional metrology, measurement services and quality control for manufacturers.',
    contact: { name: 'Prezicika contact', email: 'cluster@prezicika.example', language: 'en' },
    consent: { publicListing: true, announcements: true },
    isCoordinator: false,
  },
  {
    id: '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c05',
    legalName: 'Proftools UAB',
    registrationCode: '305444567',
    country: 'LT',
    region: 'Šiaulių apskritis',
    organisationType: 'business',
    sizeClass: 'small',
    sectorCodes: ['C25.7', 'G46.6'],
    focusAreas: ['cooperation', 'common_marketing'],
    website: null,
    description: 'Professional tools and tooling solutions for production companies.',
    contact: { name: 'Proftools contact', email: 'cluster@proftools.example', language: 'lt' },
    consent: { publicListing: true, announcements: true },
    isCoordinator: false,
  },
];
