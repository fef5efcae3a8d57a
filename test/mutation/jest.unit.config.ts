import type { Config } from 'jest';
import path from 'node:path';
import root from '../../jest.config';

/**
 * The unit project of the root jest config as a config of its own, for Stryker's jest runner
 * (it runs one project, not a `projects` list: its per-test coverage wraps the top-level test
 * environment only).
 */
function project(name: string): Config {
  const found = root.projects?.find((p) => typeof p === 'object' && p.displayName === name);
  if (!found || typeof found === 'string') throw new Error(`jest.config.ts has no ${name} project`);
  const { displayName: _, ...options } = found as Config & { displayName?: unknown };
  return { ...options, rootDir: path.resolve(__dirname, '../..') };
}

/**
 * Stryker runs the tests in a copy under .stryker-tmp/: a pattern that ignores that directory wherever
 * it is would ignore every test there; only the sandbox's own .stryker-tmp is left out.
 */
export function inSandbox(patterns: string[] = []): string[] {
  return patterns.map((p) => (p === '/.stryker-tmp/' ? '<rootDir>/.stryker-tmp/' : p));
}

const unit = project('unit');

const config: Config = {
  ...unit,
  // Tests that start service processes: the mutants live in this process, not in those.
  testPathIgnorePatterns: [...inSandbox(unit.testPathIgnorePatterns), '<rootDir>/test/startup/'],
  testTimeout: root.testTimeout,
  // MUTATION_SPECS=libs/contracts: only the specs under that folder judge the mutants (a quicker run of
  // one library's files; a lower bound, since the other specs might kill more).
  ...(process.env.MUTATION_SPECS ? { testMatch: [`<rootDir>/${process.env.MUTATION_SPECS}/**/*.spec.ts`] } : {}),
};

export default config;
