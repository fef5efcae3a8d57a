import { ServiceName } from '@valley/contracts';
import { loadCommandConfig } from '../config/command-config';
import { ServiceConfig } from '../config/service-config';
import { RebuildResult, RebuildRunOptions } from './run-rebuild';

/** `<service> rebuilt: N events in S s (R events/s)`: the one line a rebuild command prints. */
export function rebuildSummary(service: ServiceName, result: RebuildResult): string {
  return (
    `${service} rebuilt: ${result.events} events in ${result.seconds.toFixed(1)} s ` +
    `(${Math.round(result.eventsPerSecond)} events/s)`
  );
}

/**
 * The body of every `npm run <service>:rebuild` (services/<service>/src/rebuild/rebuild.command.ts):
 * the service's command config, its rebuild with a progress bar on stderr when that is a terminal,
 * the summary on stdout; on failure the stack on stderr and exit code 1.
 */
export async function runRebuildCommand<C extends ServiceConfig>(
  service: ServiceName,
  configClass: new () => C,
  rebuild: (config: C, options: RebuildRunOptions) => Promise<RebuildResult>,
): Promise<void> {
  try {
    const config = loadCommandConfig(service, configClass);
    const result = await rebuild(config, { progressBar: process.stderr.isTTY });
    process.stdout.write(`${rebuildSummary(service, result)}\n`);
  } catch (error) {
    process.stderr.write(`${service} rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}
