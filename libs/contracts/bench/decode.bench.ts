import { randomUUID } from 'node:crypto';
import { createEvent, decodeEvent, FocusAreas, TypedEvent } from '../src';

/**
 * How fast decodeEvent turns Kafka bytes into validated MemberAdmitted events, the ceiling of every
 * consumer's throughput:
 *
 *   node -r ./scripts/register.js libs/contracts/bench/decode.bench.ts [events]
 *
 * Prints events/s for valid events (ajv's validators compiled from the contracts' JSON Schemas, first
 * error only) and for events with one bad field (the full validator, which words every reason).
 * Take the median of a few runs: the figures move with the machine. Figures: README.md beside this file.
 */

const EVENTS = Number(process.argv[2] ?? 20_000);
const ROUNDS = 7;

function memberAdmitted(i: number): TypedEvent<'MemberAdmitted'> {
  const memberId = randomUUID();
  const slug = `tikslioji-mechanika-${i}`;
  return createEvent({
    type: 'MemberAdmitted',
    aggregateId: memberId,
    producer: 'membership',
    payload: {
      memberId,
      membershipType: 'full',
      admittedOn: '2025-03-14',
      applicationId: i % 10 === 0 ? null : randomUUID(),
      legalName: `UAB Tikslioji Mechanika ${i}`,
      registrationCode: String(300_000_000 + i),
      country: 'LT',
      region: 'Kauno apskritis',
      organisationType: 'business',
      sizeClass: 'small',
      sectorCodes: ['C28.41', 'C25.62'].slice(0, 1 + (i % 2)),
      focusAreas: [FocusAreas[i % 7], FocusAreas[(i + 3) % 7]],
      website: i % 5 === 0 ? null : `https://www.${slug}.lt`,
      description: 'UAB Tikslioji Mechanika: CNC frezavimas ir tekinimas. Metrologija, lazerinis pjovimas.',
      statement: i % 3 === 0 ? 'Ieškome partnerių bendriems projektams Lietuvoje ir užsienyje.' : null,
      logoUrl: i % 5 < 2 ? `https://cdn.example.lt/logos/${memberId}.png` : null,
      contact: { name: 'Rūta Petrauskienė', email: `info@${slug}.lt`, phone: '+37061234567', language: 'lt' },
      consent: { publicListing: true, announcements: i % 3 > 0, publicContact: i % 2 === 0 },
    },
  });
}

function rate(name: string, messages: Buffer[], decode: (message: Buffer) => unknown): void {
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const message of messages) decode(message);
    rates.push(messages.length / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`${name}: ${fmt(rates[ROUNDS >> 1])} events/s (median of ${ROUNDS}; best ${fmt(rates[ROUNDS - 1])})`);
}

const events = Array.from({ length: EVENTS }, (_, i) => memberAdmitted(i));
const valid = events.map((event) => Buffer.from(JSON.stringify(event)));
const invalid = events.map((event, i) =>
  Buffer.from(
    JSON.stringify({
      ...event,
      payload: { ...event.payload, ...(i % 2 ? { country: 'Lithuania' } : { focusAreas: [] }) },
    }),
  ),
);
if (!valid.every((message) => decodeEvent(message).ok)) throw new Error('a generated event does not decode');
if (invalid.some((message) => decodeEvent(message).ok)) throw new Error('a broken event decodes');

console.log(`decodeEvent, ${EVENTS} MemberAdmitted events, node ${process.version}`);
rate('  valid        ', valid, decodeEvent);
rate('  one bad field', invalid, decodeEvent);
