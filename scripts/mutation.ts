/**
 * Mutation testing (StrykerJS with its jest runner), not part of `npm test`: it takes a while.
 *
 *   npm run mutation                  both suites, then the score per file
 *   npm run mutation -- unit          the pure rules and shared mechanisms, with the unit tests
 *   npm run mutation -- integration   inbox, outbox relay, membership's transitions, with real Postgres and Kafka
 *   npm run mutation -- report        only print the scores of the last runs (add --survivors for the mutants left)
 *   npm run mutation -- unit --incremental   only what changed since the last incremental run (see below)
 *
 * The integration suite takes DATABASE_URL (a test database; each Stryker worker uses `<it>_w<n>`) and
 * KAFKA_BROKERS, by default the local servers. Full reports (HTML and JSON) land in reports/mutation/.
 *
 * `--incremental` tests again only the mutants whose code or covering tests changed since the last
 * incremental run (reports/mutation/<suite>-incremental.json): quick while killing survivors, but it
 * keeps a survivor that a new spec file kills when that spec reaches the code only through a module
 * cache or a constant (the dry run does not count it as covering). Record scores from a full run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const SUITES = {
  unit: { config: 'test/mutation/stryker.unit.config.mjs', report: 'reports/mutation/unit.json' },
  integration: { config: 'test/mutation/stryker.integration.config.mjs', report: 'reports/mutation/integration.json' },
} as const;
type Suite = keyof typeof SUITES;

/** A mutant as mutation-testing-report-schema writes it. */
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}

export interface FileScore {
  file: string;
  suite: Suite;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** (killed + timed out) / (those + survived + no coverage), in percent; null without valid mutants. */
  score: number | null;
  left: Mutant[];
}

export function scoresOf(suite: Suite, report: Report): FileScore[] {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (status: Mutant['status']) => mutants.filter((m) => m.status === status).length;
      const [killed, timeout, survived, noCoverage] = (['Killed', 'Timeout', 'Survived', 'NoCoverage'] as const).map(
        count,
      );
      const valid = killed + timeout + survived + noCoverage;
      return {
        file,
        suite,
        killed,
        timeout,
        survived,
        noCoverage,
        score: valid === 0 ? null : (100 * (killed + timeout)) / valid,
        left: mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage'),
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

function run(suite: Suite, incremental: boolean): number {
  const env = { ...process.env };
  if (suite === 'integration') {
    env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/valley_test_mutation';
    env.KAFKA_BROKERS ??= '127.0.0.1:9092';
  }
  const started = Date.now();
  console.log(`[mutation] ${suite}: stryker run ${SUITES[suite].config}`);
  const args = ['run', SUITES[suite].config];
  if (incremental) args.push('--incremental', '--incrementalFile', `reports/mutation/${suite}-incremental.json`);
  const result = spawnSync(join(root, 'node_modules/.bin/stryker'), args, {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  console.log(`[mutation] ${suite}: ${Math.round((Date.now() - started) / 60_000)} min, exit ${result.status}`);
  return result.status ?? 1;
}

function print(suites: Suite[], survivors: boolean): boolean {
  const scores: FileScore[] = [];
  for (const suite of suites) {
    const path = join(root, SUITES[suite].report);
    if (!existsSync(path)) {
      console.log(`[mutation] no report of the ${suite} suite yet (${SUITES[suite].report})`);
      continue;
    }
    scores.push(...scoresOf(suite, JSON.parse(readFileSync(path, 'utf8')) as Report));
  }
  const pct = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(1)} %`);
  console.log('\n| file | suite | score | killed | timed out | survived | no coverage |');
  console.log('| ---- | ----- | ----: | -----: | --------: | -------: | ----------: |');
  for (const s of scores) {
    console.log(
      `| ${s.file} | ${s.suite} | ${pct(s.score)} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} |`,
    );
  }
  const below = scores.filter((s) => s.score !== null && s.score < 80);
  console.log(below.length ? `\nbelow 80 %: ${below.map((s) => s.file).join(', ')}` : '\nevery file at 80 % or more');
  if (survivors) {
    for (const s of scores.filter((f) => f.left.length > 0)) {
      console.log(`\n${s.file}`);
      for (const m of s.left) {
        const at = `${m.location.start.line}:${m.location.start.column}`;
        console.log(
          `  ${at} ${m.status} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100)}`,
        );
      }
    }
  }
  return below.length === 0;
}

function main(): void {
  const args = process.argv.slice(2);
  const survivors = args.includes('--survivors');
  const asked = args.filter((a) => !a.startsWith('--'));
  if (asked.some((a) => a !== 'report' && !(a in SUITES))) {
    console.error('usage: npm run mutation -- [unit|integration|report] [--incremental] [--survivors]');
    process.exit(64);
  }
  const suites = (asked.filter((a) => a in SUITES) as Suite[]).concat();
  const toRun: Suite[] = asked.includes('report') ? [] : suites.length ? suites : ['unit', 'integration'];
  let failed = false;
  for (const suite of toRun) failed = run(suite, args.includes('--incremental')) !== 0 || failed;
  const shown: Suite[] = suites.length ? suites : ['unit', 'integration'];
  const met = print(shown, survivors);
  process.exit(failed ? 1 : met ? 0 : 2);
}

if (require.main === module) main();
