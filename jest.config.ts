import type { Config } from 'jest';

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^@valley/platform/testing$': '<rootDir>/libs/platform/src/testing/index.ts',
    '^@valley/platform/tracing$': '<rootDir>/libs/platform/src/tracing/index.ts',
    '^@valley/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/.cache/', '/.data/', '/.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  setupFiles: ['reflect-metadata'],
} satisfies Config;

/**
 * Three tiers: unit (*.spec.ts, fakes allowed), integration (*.int-spec.ts, real Postgres and
 * Kafka), e2e (*.e2e-spec.ts, the four services together). The last two share one global setup.
 */
const config: Config = {
  // A global option (projects cannot set it): integration and e2e tests wait on real servers.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,scripts,test}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,scripts,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      // The real system as OS processes, with a Kafka broker and a database of its own, under faults
      // (kill -9, broker restart, terminated connections, SMTP away, poison messages): test/faults.
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
    },
    {
      // The portal's journeys in headless Chromium (Debian's package, driven by playwright-core),
      // against the same servers: the global setup checks for Chromium first.
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};

export default config;
