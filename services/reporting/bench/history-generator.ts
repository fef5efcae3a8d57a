import { FocusAreas, TypedEvent } from '@valley/contracts';
import { reportEvents } from '@valley/testing';

const {
  applicationRejected,
  applicationSubmitted,
  applicationWithdrawn,
  memberAdmitted,
  memberProfileUpdated,
  memberReinstated,
  memberSuspended,
  membershipEnded,
  notificationOutcome,
} = reportEvents;
type OrganisationFields = reportEvents.OrganisationFields;

/**
 * A realistic five-year history of a growing cluster (its shape fixed by the seed; event ids are random):
 * applications arrive faster as the cluster grows; decided after about two weeks (the latest
 * are still open): 70 % admitted, 22 % rejected, 8 % withdrawn; members update their profile about
 * once a quarter (three in ten of those updates change a reported dimension), 5 % are
 * suspended for a month, 15 % leave; every step sends emails, and announcements and
 * newsletters to members make up the rest (emails are about 84 % of all events, as in a
 * real mail log). Events come out in time order, so each organisation's events are in order.
 */

export const HISTORY_START = Date.UTC(2021, 0, 1);
export const HISTORY_END = Date.UTC(2026, 0, 1); // exclusive: 2021-01-01 .. 2025-12-31
const DAY = 86_400_000;

const REGIONS = [
  'Vilniaus apskritis',
  'Kauno apskritis',
  'Klaipėdos apskritis',
  'Šiaulių apskritis',
  'Panevėžio apskritis',
  'Alytaus apskritis',
  'Marijampolės apskritis',
  'Utenos apskritis',
  'Telšių apskritis',
  'Tauragės apskritis',
];
const SECTORS = [
  'C25.6',
  'C26.1',
  'C26.51',
  'C27.1',
  'C28.41',
  'C22.2',
  'J62.01',
  'J63.1',
  'M71.12',
  'M72.1',
  'N82.9',
  'P85.4',
  'G46.6',
  'F43.2',
];
const ORG_TYPES = [
  'business',
  'business',
  'business',
  'science_academic',
  'public_body',
  'association',
  'other',
] as const;
const SIZES = ['micro', 'small', 'small', 'medium', 'large'] as const;
const COUNTRIES = ['LT', 'LT', 'LT', 'LT', 'LV', 'PL', 'EE', 'DE'];

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const part = (digits: number) =>
    Math.floor(random() * 16 ** digits)
      .toString(16)
      .padStart(digits, '0');
  return `${part(8)}-${part(4)}-4${part(3)}-${'89ab'[Math.floor(random() * 4)]}${part(3)}-${part(6)}${part(6)}`;
}

export interface GeneratedEvent {
  /** occurredAt in ms, for sorting. */
  at: number;
  type: TypedEvent['type'];
  aggregateId: string;
  /** The event as it travels (JSON). */
  json: string;
}

/**
 * `total` events, in time order, each already serialised (a million event objects at once
 * would keep the garbage collector busier than everything else).
 */
export function generateHistory(total: number, seed = 20200427): GeneratedEvent[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const iso = (ms: number) => new Date(Math.floor(ms)).toISOString();
  const events: GeneratedEvent[] = [];
  const push = (event: TypedEvent) =>
    events.push({
      at: Date.parse(event.occurredAt),
      type: event.type,
      aggregateId: event.aggregateId,
      json: JSON.stringify(event),
    });
  const lang = () => (random() < 0.7 ? 'lt' : 'en') as 'lt' | 'en';
  const mail = (at: number, template: string, language: 'lt' | 'en') => {
    if (at + 60_000 < HISTORY_END) {
      push(
        notificationOutcome(
          random() < 0.02 ? 'failed' : 'sent',
          iso(at + 60_000),
          template,
          language,
          uuidFrom(random),
        ),
      );
    }
  };
  const profile = (): OrganisationFields => ({
    country: pick(COUNTRIES),
    region: pick(REGIONS),
    organisationType: pick(ORG_TYPES),
    sizeClass: pick(SIZES),
    sectorCodes:
      random() < 0.3 ? [pick(SECTORS), pick(SECTORS)].filter((c, i, all) => all.indexOf(c) === i) : [pick(SECTORS)],
    focusAreas: [pick(FocusAreas), ...(random() < 0.4 ? [pick(FocusAreas)] : [])].filter(
      (f, i, all) => all.indexOf(f) === i,
    ),
  });

  const member = (id: string, admittedAt: number, fields: OrganisationFields, applicationId: string | null) => {
    push(memberAdmitted(id, iso(admittedAt), fields, applicationId));
    const language = lang();
    mail(admittedAt, 'member-welcome', language);
    const leavesAt = random() < 0.15 ? admittedAt + 30 * DAY + random() * (HISTORY_END - admittedAt) : Infinity;
    const suspendedAt = random() < 0.05 ? admittedAt + random() * (HISTORY_END - admittedAt) : Infinity;
    let version = 1;
    for (let t = admittedAt + exp(90 * DAY); t < Math.min(leavesAt, HISTORY_END); t += exp(90 * DAY)) {
      version++;
      if (random() < 0.3) {
        const next = profile();
        const dimension = pick(['region', 'sectorCodes', 'sizeClass', 'focusAreas', 'organisationType'] as const);
        push(memberProfileUpdated(id, iso(t), { [dimension]: next[dimension] }, version));
      } else {
        push(memberProfileUpdated(id, iso(t), { website: `https://m${version}.example.lt` }, version));
      }
    }
    if (suspendedAt < Math.min(leavesAt, HISTORY_END)) {
      push(memberSuspended(id, iso(suspendedAt)));
      mail(suspendedAt, 'member-suspended', language);
      const back = suspendedAt + 30 * DAY;
      if (back < Math.min(leavesAt, HISTORY_END)) push(memberReinstated(id, iso(back)));
    }
    if (leavesAt < HISTORY_END) {
      push(membershipEnded(id, iso(leavesAt)));
      mail(leavesAt, 'membership-ended', language);
    }
  };

  for (let i = 0; i < 5; i++) member(uuidFrom(random), HISTORY_START + 9 * 3_600_000, profile(), null);

  const applications = Math.max(10, Math.round(total * 0.025));
  const span = HISTORY_END - HISTORY_START;
  for (let i = 0; i < applications; i++) {
    const id = uuidFrom(random);
    const applicationId = uuidFrom(random);
    const submittedAt = HISTORY_START + span * Math.sqrt(random()); // more applications as the cluster grows
    const fields = profile();
    push(applicationSubmitted(id, iso(submittedAt), fields, applicationId));
    const language = lang();
    mail(submittedAt, 'application-received', language);
    mail(submittedAt, 'application-new-coordinator', 'lt');
    const decidedAt = submittedAt + exp(14 * DAY);
    if (decidedAt >= HISTORY_END) continue; // still open
    const outcome = random();
    if (outcome < 0.7) member(id, decidedAt, fields, applicationId);
    else if (outcome < 0.92) {
      push(applicationRejected(id, applicationId, iso(decidedAt)));
      mail(decidedAt, 'application-rejected', language);
    } else push(applicationWithdrawn(id, applicationId, iso(decidedAt)));
  }

  // Announcements and newsletters to members fill the rest, spread like the membership grew.
  const templates = ['member-announcement', 'newsletter'];
  while (events.length < total) mail(HISTORY_START + span * Math.sqrt(random()), pick(templates), lang());
  events.length = Math.min(events.length, total);
  // A stable sort: an organisation's events at the same instant keep the order they happened in.
  return events.sort((a, b) => a.at - b.at);
}
