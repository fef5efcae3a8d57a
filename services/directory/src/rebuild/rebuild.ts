import { RebuildResult, runRebuild, serviceDataSourceOptions } from '@valley/platform';
import { DataSource } from 'typeorm';
import { directoryDatabase } from '../database/directory-database';
import { DirectoryConfig } from '../directory.config';
import { MembershipEventsConsumer } from '../members/consumers/membership-events.consumer';
import { DirectoryEntry } from '../members/directory-entry.entity';
import { DirectoryProjection } from '../members/directory-projection.service';

/**
 * Drops the directory read model and replays the membership history from Kafka through the very
 * handler the live consumer uses (same batches, same projection). Stop the live consumer first.
 * Ends with ANALYZE, so that the planner knows the new table at once (not after autovacuum).
 */
export async function rebuildDirectory(
  config: DirectoryConfig,
  options: { progressBar?: boolean } = {},
): Promise<RebuildResult> {
  const result = await runRebuild({
    service: 'directory',
    config,
    database: directoryDatabase,
    progressBar: options.progressBar,
    // A member's events share a partition and each batch touches only its members' rows, so
    // two partitions can be applied at once (one decodes while the other waits for Postgres).
    partitionsConcurrently: 2,
    reset: async (manager) => {
      await manager.query(`TRUNCATE ${manager.getRepository(DirectoryEntry).metadata.tablePath}`);
    },
    createHandler: (dataSource: DataSource) => new MembershipEventsConsumer(new DirectoryProjection(dataSource)),
  });
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url: config.DATABASE_URL, schema: 'directory', ...directoryDatabase, poolSize: 1 }),
  ).initialize();
  try {
    await dataSource.query(`ANALYZE ${dataSource.getMetadata(DirectoryEntry).tablePath}`);
  } finally {
    await dataSource.destroy();
  }
  return result;
}
