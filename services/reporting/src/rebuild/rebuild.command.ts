import 'reflect-metadata';
import { loadCommandConfig } from '@valley/platform';
import { ReportingConfig } from '../reporting.config';
import { rebuildReporting } from './rebuild-reporting';

/**
 * `npm run reporting:rebuild`: drops the reporting read model and rebuilds it from the whole
 * event history, with a progress bar. Stop the reporting service first.
 */
async function main(): Promise<void> {
  const config = loadCommandConfig('reporting', ReportingConfig);
  const result = await rebuildReporting(config, true);
  process.stdout.write(
    `reporting rebuilt: ${result.events} events in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.eventsPerSecond)} events/s)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`reporting rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
