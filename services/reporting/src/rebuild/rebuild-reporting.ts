import { RebuildResult, runRebuild } from '@valley/platform';
import { DataSource } from 'typeorm';
import { reportingDatabase } from '../database/reporting-database';
import { ReportEventsConsumer } from '../facts/consumers/report-events.consumer';
import { READ_MODEL_TABLES, ReportFacts } from '../facts/report-facts.service';
import { ReportingConfig } from '../reporting.config';

/**
 * Empties the report facts and replays the whole history through the live consumer's handler
 * (ReportEventsConsumer → ReportFacts), so that the rebuilt facts equal the live ones.
 */
export function rebuildReporting(config: ReportingConfig, progressBar = false): Promise<RebuildResult> {
  return runRebuild({
    service: 'reporting',
    config,
    database: reportingDatabase,
    progressBar,
    reset: async (manager) => {
      await manager.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
    },
    createHandler: (dataSource: DataSource) => new ReportEventsConsumer(new ReportFacts(dataSource)),
  });
}
