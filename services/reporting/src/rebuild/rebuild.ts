import { eventHandlerOf } from '@valley/messaging';
import { RebuildResult, RebuildRunOptions, runRebuild } from '@valley/platform';
import { DataSource } from 'typeorm';
import { reportingDatabase } from '../database/reporting-database';
import { READ_MODEL_TABLES, ReportEventsController, ReportFacts } from '../facts';
import { ReportingConfig } from '../reporting.config';

/**
 * Drops the report facts and replays the whole history from Kafka through the very handler the
 * live consumer uses (ReportEventsController → ReportFacts), so that the rebuilt facts equal the
 * live ones. Stop the live consumer first.
 */
export function rebuildReporting(config: ReportingConfig, options: RebuildRunOptions = {}): Promise<RebuildResult> {
  return runRebuild({
    service: 'reporting',
    config,
    database: reportingDatabase,
    progressBar: options.progressBar,
    tables: () => [...READ_MODEL_TABLES],
    createHandler: (dataSource: DataSource) =>
      eventHandlerOf(new ReportEventsController(new ReportFacts(dataSource)), 'apply'),
  });
}
