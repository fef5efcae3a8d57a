import type { Config } from 'jest';
import path from 'node:path';
import root from '../../jest.config';
import { inSandbox } from './jest.unit.config';

/**
 * For Stryker's jest runner over the mechanisms that only real Postgres and Kafka can judge (the
 * inbox, the outbox relay, membership's transitions): the integration project, limited to the
 * specs that exercise them, plus the unit spec that pins the transition tables. Its global setup
 * gives each Stryker worker a database of its own (they run at once, and suites reset schemas).
 */
const found = root.projects?.find((p) => typeof p === 'object' && p.displayName === 'integration');
if (!found || typeof found === 'string') throw new Error('jest.config.ts has no integration project');
const { displayName: _, ...integration } = found as Config & { displayName?: unknown };

export const MUTATION_INTEGRATION_SPECS = [
  'libs/messaging/src/inbox/inbox.int-spec.ts',
  'libs/messaging/src/outbox/outbox.int-spec.ts',
  'libs/messaging/src/outbox/outbox-relay.int-spec.ts',
  'services/membership/src/applications/application-lifecycle.int-spec.ts',
  'services/membership/src/members/members.int-spec.ts',
  'services/membership/src/lifecycle-transitions.spec.ts',
];

const config: Config = {
  ...integration,
  rootDir: path.resolve(__dirname, '../..'),
  testMatch: MUTATION_INTEGRATION_SPECS.map((spec) => `<rootDir>/${spec}`),
  testPathIgnorePatterns: inSandbox(integration.testPathIgnorePatterns),
  globalSetup: '<rootDir>/test/mutation/global-setup.ts',
  testTimeout: root.testTimeout,
};

export default config;
