/**
 * npm run members:import -- <file.csv>: imports members from a spreadsheet's CSV, row by row, with a
 * progress bar; prints the imported rows and, per refused row, its line and reasons.
 * Exit code 0: every row imported; 1: some rows refused; 2: the file cannot be read.
 */
import 'reflect-metadata';
import { loadCommandConfig, serviceDataSourceOptions } from '@valley/platform';
import { Presets, SingleBar } from 'cli-progress';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { DataSource } from 'typeorm';
import { membershipDatabase } from '../../database/membership-database';
import { MembershipException } from '../../errors/membership.exception';
import { MembershipConfig } from '../../membership.config';
import { MemberImportService } from './member-import.service';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run members:import -- <file.csv>');
    return 2;
  }
  const content = readFileSync(file);
  const config = loadCommandConfig('membership', MembershipConfig);
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url: config.DATABASE_URL, schema: 'membership', ...membershipDatabase, poolSize: 2 }),
  ).initialize();
  const bar = new SingleBar(
    { format: 'import [{bar}] {percentage}% {value}/{total} rows, {eta}s left' },
    Presets.shades_classic,
  );
  let started = false;
  try {
    const report = await new MemberImportService(dataSource).importCsv(
      content,
      `cli:${userInfo().username}`,
      (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    );
    if (started) bar.stop();
    for (const row of report.imported) console.log(`  line ${row.line}: imported ${row.legalName} (${row.memberId})`);
    for (const row of report.refused) console.log(`  line ${row.line}: refused: ${row.reasons.join('; ')}`);
    console.log(`${report.imported.length} of ${report.rows} rows imported, ${report.refused.length} refused`);
    return report.refused.length > 0 ? 1 : 0;
  } catch (error) {
    if (started) bar.stop();
    if (error instanceof MembershipException) {
      console.error(`import refused: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`import failed: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
