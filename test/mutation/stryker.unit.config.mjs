// Mutation testing of the pure rules and the shared mechanisms, with the unit tests: `npm run mutation`
// (scripts/mutation.ts runs this and stryker.integration.config.mjs, then prints the score per file).
// Not part of `npm test`: it takes a while. Results: README, "Mutation testing".

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'test/mutation/jest.unit.config.ts', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  mutate: [
    'libs/messaging/src/consumer/event-batch-processor.ts',
    'libs/messaging/src/consumer/retry-policy.ts',
    'libs/messaging/src/consumer/consumer-status.ts',
    'libs/messaging/src/consumer/dead-letter.ts',
    'libs/messaging/src/failures/failure-kind.ts',
    'libs/messaging/src/outbox/outbox-writer.ts',
    'libs/messaging/src/outbox/outbox-cleanup.ts',
    'libs/contracts/src/envelope.ts',
    'libs/contracts/src/typed-event.ts',
    'libs/contracts/src/schema/schema-validator.ts',
    'libs/contracts/src/schema/formats.ts',
    'libs/contracts/src/versions/compatibility.ts',
    'libs/contracts/src/membership/lithuanian-company-code.ts',
    'libs/contracts/src/nace/nace.ts',
    'services/directory/src/projection/entry-state.ts',
    'services/reporting/src/reports/periods.ts',
    'services/reporting/src/facts/member-history.ts',
  ],
  ignorePatterns: ['/node_modules', '/.cache', '/.data', '/.nx', '/dist', '/coverage', '/reports', '/.stryker-tmp'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  reporters: ['clear-text', 'json', 'html', 'progress-append-only'],
  htmlReporter: { fileName: 'reports/mutation/unit.html' },
  jsonReporter: { fileName: 'reports/mutation/unit.json' },
  thresholds: { high: 90, low: 80, break: null },
  // A mutant that loops (a retry that never ends) times out: counted as detected, after this much more than the tests' own time.
  timeoutMS: 5_000,
};
