import 'reflect-metadata';
import { runRebuildCommand } from '@valley/platform';
import { DirectoryConfig } from '../directory.config';
import { rebuildDirectory } from './rebuild';

/**
 * `npm run directory:rebuild`: empties the directory and replays the whole membership history.
 * Run it with the directory service stopped; it goes on from its committed offsets afterwards.
 */
void runRebuildCommand('directory', DirectoryConfig, rebuildDirectory);
