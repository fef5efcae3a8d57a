import { createHash } from 'node:crypto';
import { createEvent, FocusArea, FocusAreas, OrganisationType, SizeClass, TypedEvent } from '@valley/contracts';

/**
 * Realistic, reproducible membership history for the benchmark: Lithuanian company names and
 * regions (and some neighbours'), NACE codes weighted towards manufacturing, focus areas,
 * descriptions and statements in Lithuanian, admissions spread from the cluster's founding
 * (2020-04-27) to now, plus profile updates and suspensions with reinstatements.
 */

/** mulberry32: a small seeded PRNG, so that every run generates the same members. */
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

const STEMS = [
  'Balt',
  'Lit',
  'Nemun',
  'Neris',
  'Ąžuol',
  'Šiaur',
  'Žalgir',
  'Gintar',
  'Rasa',
  'Vilk',
  'Dain',
  'Aušr',
  'Žemait',
  'Aukštait',
  'Dzūk',
  'Sūduv',
  'Kuršių',
  'Baltij',
  'Vėtr',
  'Saulė',
  'Mėnul',
  'Žvaigžd',
  'Ugn',
  'Versm',
  'Pušyn',
  'Liep',
  'Beržyn',
  'Klev',
  'Smilg',
  'Ryt',
  'Vakar',
  'Pietų',
  'Eur',
  'Nord',
  'Prezi',
  'Pažang',
  'Inov',
  'Tikslum',
  'Greit',
  'Stipr',
  'Gudr',
  'Švies',
  'Energ',
  'Termo',
  'Hidro',
  'Elektr',
];
const SUFFIXES = [
  'Led',
  'Tech',
  'Metal',
  'Inžinerija',
  'Sprendimai',
  'Gamyba',
  'Automatika',
  'Lazeriai',
  'Mechanika',
  'Metrologija',
  'Elektronika',
  'Plastikai',
  'Robotika',
  'Optika',
  'Įrankiai',
  'Konstrukcijos',
  'Sistemos',
  'Logistika',
  'Projektai',
  'Baldai',
  'Maistas',
  'Chemija',
  'Tekstilė',
  'Medis',
  'Stiklas',
  'Programos',
];
const LEGAL_FORMS: [string, number][] = [
  ['UAB', 0.78],
  ['AB', 0.06],
  ['MB', 0.08],
  ['IĮ', 0.03],
  ['VšĮ', 0.05],
];
const INSTITUTIONS = [
  'Universitetas',
  'Kolegija',
  'Mokslo ir technologijų parkas',
  'Inovacijų centras',
  'Profesinio mokymo centras',
];
const CITIES = ['Vilniaus', 'Kauno', 'Klaipėdos', 'Šiaulių', 'Panevėžio', 'Alytaus', 'Marijampolės', 'Utenos'];

const LT_REGIONS: [string, number][] = [
  ['Vilniaus apskritis', 0.3],
  ['Kauno apskritis', 0.22],
  ['Klaipėdos apskritis', 0.12],
  ['Šiaulių apskritis', 0.07],
  ['Panevėžio apskritis', 0.07],
  ['Alytaus apskritis', 0.04],
  ['Marijampolės apskritis', 0.05],
  ['Utenos apskritis', 0.04],
  ['Tauragės apskritis', 0.03],
  ['Telšių apskritis', 0.06],
];
const FOREIGN: [string, string, number][] = [
  ['LV', 'Rīga', 0.35],
  ['PL', 'Podlaskie', 0.25],
  ['EE', 'Harjumaa', 0.15],
  ['DE', 'Bayern', 0.1],
  ['FI', 'Uusimaa', 0.1],
  ['SE', 'Skåne', 0.05],
];
const NACE: [string, number][] = [
  ['C25.62', 8],
  ['C25.11', 4],
  ['C26.11', 4],
  ['C26.51', 4],
  ['C26.70', 2],
  ['C27.40', 5],
  ['C27.12', 2],
  ['C28.41', 4],
  ['C28.99', 4],
  ['C28.22', 2],
  ['C22.29', 4],
  ['C22.21', 2],
  ['C10.89', 3],
  ['C10.71', 2],
  ['C20.59', 2],
  ['C31.09', 3],
  ['C16.23', 2],
  ['C33.12', 3],
  ['C29.32', 2],
  ['C32.50', 2],
  ['M72.19', 6],
  ['M71.12', 5],
  ['M71.20', 2],
  ['M74.10', 2],
  ['J62.01', 6],
  ['J62.02', 4],
  ['J63.11', 1],
  ['P85.42', 2],
  ['P85.59', 1],
  ['N82.99', 2],
  ['G46.69', 3],
  ['G46.14', 1],
  ['F41.20', 2],
  ['F43.21', 2],
  ['H52.29', 2],
  ['D35.11', 1],
  ['E38.32', 1],
  ['S94.11', 1],
  ['O84.13', 1],
];
const ACTIVITIES = [
  'CNC frezavimas ir tekinimas',
  'lazerinis pjovimas ir lankstymas',
  'LED šviestuvų gamyba',
  'matavimo prietaisų kalibravimas',
  'pramoninė automatika ir robotizacija',
  'plastiko liejimas',
  'metalo konstrukcijų gamyba',
  'programinės įrangos kūrimas gamybai',
  'elektronikos surinkimas',
  'inžinerinis projektavimas',
  'mokymai ir kvalifikacijos kėlimas',
  'tyrimai ir eksperimentinė plėtra',
  'maisto produktų gamyba',
  'logistikos paslaugos',
  'baldų gamyba',
  'precision machining',
  'industrial IoT and data platforms',
  'metrology and quality control',
  'additive manufacturing',
];
const STATEMENTS = [
  'Ieškome partnerių bendriems projektams Lietuvoje ir užsienyje.',
  'Dalijamės patirtimi ir įranga su klasterio nariais.',
  'Kartu kuriame pažangias gamybos technologijas.',
  'Open to joint R&D projects and export partnerships.',
  'Siūlome praktikos vietas studentams ir mokymus darbuotojams.',
];

/** Words a portal's visitors type: name stems (as prefixes) and activity words, some with typos. */
export function searchWords(): string[] {
  const stems = STEMS.map((s) => s.slice(0, 4));
  const words = SUFFIXES.map((s) => s.slice(0, 6));
  const typos = ['Metlas', 'Inžinierija', 'Autmatika', 'Elektornika'];
  return [...new Set([...stems, ...words, ...typos])];
}

/** Filter values a portal's visitors pick: every region and NACE section and division the generator uses, and the rest. */
export function filterChoices(): Record<string, string[]> {
  const codes = NACE.map(([code]) => code);
  return {
    region: [...LT_REGIONS.map(([r]) => r), ...FOREIGN.map(([, r]) => r)],
    sector: [...new Set([...codes.map((c) => c[0]), ...codes.map((c) => c.slice(0, 3))])],
    sizeClass: ['micro', 'small', 'medium', 'large'],
    organisationType: ['business', 'science_academic', 'public_body', 'association', 'other'],
    focusArea: [...FocusAreas],
    memberSinceFrom: ['2020', '2021', '2022', '2023', '2024', '2025', '2026'].flatMap((y) =>
      ['01', '04', '07', '10'].map((m) => `${y}-${m}-01`),
    ),
  };
}

export class MemberGenerator {
  private readonly random: () => number;

  constructor(seed = 20200427) {
    this.random = seededRandom(seed);
  }

  /** The whole history: admissions in time order, each member's later events after its admission. */
  history(members: number): TypedEvent[] {
    const start = Date.UTC(2020, 3, 27);
    const span = Date.UTC(2026, 10, 26) - start;
    const events: { at: number; event: TypedEvent }[] = [];
    for (let i = 0; i < members; i++) {
      const admittedAt = start + Math.floor((span * i) / members);
      const admission = this.admission(i, new Date(admittedAt));
      events.push({ at: admittedAt, event: admission });
      const id = admission.payload.memberId;
      const roll = this.random();
      if (roll < 0.1) {
        const at = admittedAt + 1 + Math.floor(this.random() * 30 * 86_400_000);
        events.push({ at, event: this.update(id, new Date(at)) });
      } else if (roll < 0.11) {
        const at = admittedAt + 1 + Math.floor(this.random() * 30 * 86_400_000);
        events.push({
          at,
          event: event('MemberSuspended', id, at, { reason: 'Nesumokėtas mokestis.', suspendedAt: iso(at) }),
        });
        const back = at + 7 * 86_400_000;
        events.push({
          at: back,
          event: event('MemberReinstated', id, back, { reason: null, reinstatedAt: iso(back) }),
        });
      }
    }
    return events.sort((a, b) => a.at - b.at).map((e) => e.event);
  }

  private admission(i: number, at: Date): TypedEvent<'MemberAdmitted'> {
    const memberId = uuidFrom(`bench-member-${i}`);
    const type = this.weighted<OrganisationType>([
      ['business', 0.8],
      ['science_academic', 0.06],
      ['public_body', 0.04],
      ['association', 0.06],
      ['other', 0.04],
    ]);
    const name = this.name(type, i);
    const foreign =
      this.random() < 0.05
        ? this.weighted(FOREIGN.map(([c, r, w]) => [[c, r], w] as [[string, string], number]))
        : null;
    const sectors = Array.from({ length: 1 + Math.floor(this.random() * 2.4) }, () => this.weighted(NACE));
    const focus = Array.from({ length: 1 + Math.floor(this.random() * 3) }, () => this.pick(FocusAreas));
    const activity = this.pick(ACTIVITIES);
    return createEvent({
      type: 'MemberAdmitted',
      producer: 'membership',
      aggregateId: memberId,
      occurredAt: at,
      payload: {
        memberId,
        membershipType: i < 5 ? 'founding' : 'full',
        admittedOn: at.toISOString().slice(0, 10),
        applicationId: i < 5 ? null : uuidFrom(`bench-application-${i}`),
        legalName: name,
        registrationCode: String(300_000_000 + i),
        country: foreign ? foreign[0] : 'LT',
        region: foreign ? foreign[1] : this.weighted(LT_REGIONS),
        organisationType: type,
        sizeClass: this.weighted<SizeClass>([
          ['micro', 0.35],
          ['small', 0.35],
          ['medium', 0.22],
          ['large', 0.08],
        ]),
        sectorCodes: [...new Set(sectors)],
        focusAreas: [...new Set(focus)] as FocusArea[],
        website: this.random() < 0.8 ? `https://www.${slug(name)}.lt` : null,
        description: `${name.split(' ')[0]}: ${activity}. ${this.pick(ACTIVITIES)}, ${this.pick(ACTIVITIES)}.`,
        statement: this.random() < 0.3 ? this.pick(STATEMENTS) : null,
        logoUrl: this.random() < 0.4 ? `https://cdn.example.lt/logos/${memberId}.png` : null,
        contact: {
          name: `${this.pick(['Jonas', 'Ona', 'Rūta', 'Tomas', 'Aistė', 'Mindaugas', 'Eglė', 'Paulius'])} ${this.pick(['Kazlauskas', 'Petrauskaitė', 'Jankauskas', 'Žukauskienė', 'Butkus', 'Stankevičiūtė'])}`,
          email: `info@${slug(name)}.lt`,
          phone: this.random() < 0.6 ? `+3706${String(1_000_000 + i).slice(-7)}` : undefined,
          language: this.random() < 0.85 ? 'lt' : 'en',
        },
        consent: { publicListing: true, announcements: this.random() < 0.7, publicContact: this.random() < 0.5 },
      },
    });
  }

  private update(memberId: string, at: Date): TypedEvent<'MemberProfileUpdated'> {
    const changes =
      this.random() < 0.5
        ? { description: `Atnaujinta: ${this.pick(ACTIVITIES)} ir ${this.pick(ACTIVITIES)}.` }
        : { focusAreas: [this.pick(FocusAreas)] as FocusArea[], sizeClass: this.pick(['small', 'medium'] as const) };
    return event('MemberProfileUpdated', memberId, at.getTime(), {
      memberId,
      version: 2,
      changedFields: Object.keys(changes),
      changes,
    }) as TypedEvent<'MemberProfileUpdated'>;
  }

  private name(type: OrganisationType, i: number): string {
    const stem = this.pick(STEMS);
    if (type === 'science_academic') return `${this.pick(CITIES)} ${this.pick(INSTITUTIONS)} ${i}`;
    if (type === 'association') return `Asociacija „${stem}${this.pick(SUFFIXES).toLowerCase()}“ ${i}`;
    return `${stem}${this.pick(SUFFIXES)} ${this.weighted(LEGAL_FORMS)} ${i}`;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  weighted<T>(values: readonly [T, number][]): T {
    const total = values.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.random() * total;
    for (const [value, weight] of values) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return values[values.length - 1][0];
  }
}

function event(
  type: 'MemberSuspended' | 'MemberReinstated' | 'MemberProfileUpdated',
  memberId: string,
  at: number,
  rest: object,
) {
  return createEvent({
    type,
    producer: 'membership',
    aggregateId: memberId,
    occurredAt: new Date(at),
    payload: { memberId, ...rest } as never,
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A stable UUID-shaped id from a name (so that re-generated members keep their ids). */
function uuidFrom(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
