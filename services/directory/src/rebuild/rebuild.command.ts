import 'reflect-metadata';
import { loadCommandConfig } from '@valley/platform';
import { DirectoryConfig } from '../directory.config';
import { rebuildDirectory } from './rebuild';

/**
 * `npm run directory:rebuild`: empties the directory and replays the whole membership history.
 * Run it with the directory service stopped; it goes on from its committed offsets afterwards.
 */
async function main(): Promise<void> {
  const config = loadCommandConfig('directory', DirectoryConfig);
  const result = await rebuildDirectory(config, { progressBar: process.stderr.isTTY });
  process.stdout.write(
    `directory rebuilt: ${result.events} events in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.eventsPerSecond)} events/s)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`directory rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
