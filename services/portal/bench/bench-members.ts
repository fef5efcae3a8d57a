import {
  createEvent,
  FocusAreas,
  naceEntries,
  OrganisationTypes,
  SizeClasses,
  TypedEvent,
  withLithuanianCheckDigit,
} from '@valley/contracts';
import { createHash } from 'node:crypto';

/**
 * Listed members for the portal benchmark, as MemberAdmitted events: Lithuanian names, regions
 * and descriptions, NACE classes weighted towards manufacturing, admissions since the cluster's
 * founding. Seeded, so that every run searches the same directory.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const REGIONS = [
  'Vilniaus apskritis',
  'Kauno apskritis',
  'Klaipėdos apskritis',
  'Šiaulių apskritis',
  'Panevėžio apskritis',
  'Alytaus apskritis',
  'Marijampolės apskritis',
  'Telšių apskritis',
  'Tauragės apskritis',
  'Utenos apskritis',
];

const STEMS = [
  'Balt',
  'Nemun',
  'Ąžuol',
  'Šiaur',
  'Gintar',
  'Vilk',
  'Aušr',
  'Žemait',
  'Sūduv',
  'Saulė',
  'Pažang',
  'Inov',
];
const ENDINGS = ['a', 'is', 'ija', 'ona', 'ita', 'us'];
const KINDS = ['Metalas', 'Technika', 'Gamyba', 'Sprendimai', 'Inžinerija', 'Automatika', 'Baldai', 'Plastikas'];
const PHRASES = [
  'metalo apdirbimas ir suvirinimas',
  'pramoninė automatika ir robotika',
  'medienos gaminiai ir baldai',
  'plastiko liejimas ir formos',
  'elektronikos surinkimas',
  'maisto produktų gamyba',
  'inžinerinės konsultacijos',
  'logistika ir sandėliavimas',
];

/** Words and prefixes a visitor types: each finds hundreds to thousands of members. */
export const SEARCH_WORDS = ['metalo', 'automatika', 'baldai', 'gamyba', 'Pazang', 'inzinerija'];

/** Two filters of different kinds, as the searches have. */
export const FILTER_PAIRS = [
  'region=Kauno apskritis&sector=C',
  'region=Vilniaus apskritis&focusArea=innovation_technologies',
  'sector=C25&sizeClass=small',
  'focusArea=cooperation&organisationType=business',
  'sector=M&region=Klaipėdos apskritis',
  'sizeClass=medium&since=2023',
];

export function memberEvents(count: number, seed = 12): TypedEvent<'MemberAdmitted'>[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const classes = naceEntries().filter((e) => e.level === 'class');
  const manufacturing = classes.filter((e) => e.code.startsWith('C'));
  const founded = Date.parse('2020-04-27T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - founded;
  return Array.from({ length: count }, (_, i) => {
    const memberId = uuidFrom(`portal-bench-${seed}-${i}`);
    const admitted = new Date(founded + Math.floor(random() * span));
    const sectors = [
      ...new Set([
        pick(random() < 0.6 ? manufacturing : classes).code,
        ...(random() < 0.4 ? [pick(classes).code] : []),
      ]),
    ];
    const areas = [...new Set([pick(FocusAreas), pick(FocusAreas)])];
    return createEvent({
      type: 'MemberAdmitted',
      producer: 'membership',
      aggregateId: memberId,
      occurredAt: admitted,
      payload: {
        memberId,
        membershipType: 'full',
        admittedOn: admitted.toISOString().slice(0, 10),
        applicationId: null,
        legalName: `${pick(STEMS)}${pick(ENDINGS)} ${pick(KINDS)} ${i} UAB`,
        registrationCode: withLithuanianCheckDigit(String(30_000_000 + i)),
        country: random() < 0.93 ? 'LT' : pick(['LV', 'PL', 'EE']),
        region: pick(REGIONS),
        organisationType: random() < 0.85 ? 'business' : pick(OrganisationTypes),
        sizeClass: pick(SizeClasses),
        sectorCodes: sectors,
        focusAreas: areas,
        website: null,
        description: `${pick(PHRASES)}; ${pick(PHRASES)}.`,
        statement: random() < 0.3 ? `Ieškome partnerių: ${pick(PHRASES)}.` : null,
        logoUrl: null,
        contact: { name: 'Kontaktinis asmuo', email: `info${i}@example.lt`, language: 'lt' },
        consent: { publicListing: true, announcements: false },
      },
    });
  });
}

function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
