// Mutation testing of what only the real Postgres (and Kafka) can judge: the inbox, the outbox relay,
// and membership's transitions (the tables and the steps that apply them), with the integration specs
// listed in jest.integration.config.ts. `npm run mutation` runs it after stryker.unit.config.mjs.
// Needs DATABASE_URL (a test database: each worker uses `<it>_w<n>`) and KAFKA_BROKERS.
import { readFileSync } from 'node:fs';

/**
 * `file:from-to`, the lines from the first matching `start` to the first matching `end` after it
 * (inclusive), found when the config loads, so that edits elsewhere in the file do not shift them.
 */
function lines(file, start, end) {
  const text = readFileSync(file, 'utf8').split('\n');
  const from = text.findIndex((line) => start.test(line));
  const to = text.findIndex((line, i) => i > from && end.test(line));
  if (from < 0 || to < 0) throw new Error(`${file}: no lines from ${start} to ${end}`);
  return `${file}:${from + 1}-${to + 1}`;
}

const applications = 'services/membership/src/applications/applications.service.ts';
const members = 'services/membership/src/members/members.service.ts';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'test/mutation/jest.integration.config.ts', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  mutate: [
    'libs/messaging/src/inbox/inbox.ts',
    'libs/messaging/src/outbox/outbox-relay.ts',
    // the transition tables, and each step from its check of the status to its history row
    lines(applications, /^export const APPLICATION_TRANSITIONS = \{/, /^\} as const satisfies/),
    lines(
      applications,
      /if \(!\(transition\.from as readonly ApplicationStatus\[\]\)\.includes/,
      /await appendToOutbox\(manager, events\)/,
    ),
    // admission: the member row, its history and MemberAdmitted, in the application's transaction
    'services/membership/src/members/admission.ts',
    lines(members, /^export const MEMBER_TRANSITIONS = \{/, /^\} as const satisfies/),
    lines(
      members,
      /if \(!\(transition\.from as readonly MemberStatus\[\]\)\.includes/,
      /await appendToOutbox\(manager, \[event\(member, at\)\]\)/,
    ),
  ],
  ignorePatterns: ['/node_modules', '/.cache', '/.data', '/.nx', '/dist', '/coverage', '/reports', '/.stryker-tmp'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  reporters: ['clear-text', 'json', 'html', 'progress-append-only'],
  htmlReporter: { fileName: 'reports/mutation/integration.html' },
  jsonReporter: { fileName: 'reports/mutation/integration.json' },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 20_000,
};
