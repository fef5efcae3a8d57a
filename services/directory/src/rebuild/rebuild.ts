import { eventHandlerOf, PersonalDataKeyring, personalDataMasterKey } from '@valley/messaging';
import { RebuildResult, RebuildRunOptions, runRebuild } from '@valley/platform';
import { DataSource } from 'typeorm';
import { directoryDatabase } from '../database/directory-database';
import { DirectoryConfig } from '../directory.config';
import { DirectoryEntry, DirectoryProjection, MembershipEventsController } from '../projection';

/**
 * Drops the directory read model and replays the membership history from Kafka through the very
 * handler the live consumer uses (same batches, same projection). Stop the live consumer first.
 */
export function rebuildDirectory(config: DirectoryConfig, options: RebuildRunOptions = {}): Promise<RebuildResult> {
  return runRebuild({
    service: 'directory',
    config,
    database: directoryDatabase,
    progressBar: options.progressBar,
    // A member's events share a partition and each batch touches only its members' rows, so
    // two partitions can be applied at once (one decodes while the other waits for Postgres).
    partitionsConcurrently: 2,
    tables: (dataSource) => [dataSource.getMetadata(DirectoryEntry).tablePath],
    createHandler: (dataSource: DataSource) =>
      eventHandlerOf(
        new MembershipEventsController(
          new DirectoryProjection(dataSource),
          // The keys the live consumer keeps (not part of the read model): an erased member's stay shredded.
          new PersonalDataKeyring(dataSource, personalDataMasterKey(config.PERSONAL_DATA_KEY)),
        ),
        'apply',
      ),
  });
}
