/**
 * npm run demo: adds the first admitted new member (the Marijampolė free economic zone's management
 * company) and a few dozen pending and decided applications, so that a new user sees a living cluster.
 * Idempotent. Their events wait in the outbox until the membership service's relay publishes them.
 */
import 'reflect-metadata';
import { loadCommandConfig, serviceDataSourceOptions } from '@valley/platform';
import { DataSource } from 'typeorm';
import { membershipDatabase } from '../database/membership-database';
import { MembershipConfig } from '../membership.config';
import { loadDemo } from './demo';

async function main(): Promise<void> {
  const config = loadCommandConfig('membership', MembershipConfig);
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url: config.DATABASE_URL, schema: 'membership', ...membershipDatabase, poolSize: 2 }),
  ).initialize();
  try {
    const result = await loadDemo(dataSource);
    for (const { legalName, status } of result.created) console.log(`  ${status.padEnd(12)} ${legalName}`);
    console.log(
      result.created.length > 0
        ? `demo: ${result.created.length} organisations added${result.skipped ? `, ${result.skipped} already there` : ''}`
        : 'demo: already loaded',
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
