import 'reflect-metadata';
import { runRebuildCommand } from '@valley/platform';
import { ReportingConfig } from '../reporting.config';
import { rebuildReporting } from './rebuild';

/**
 * `npm run reporting:rebuild`: empties the report facts and replays the whole event history.
 * Run it with the reporting service stopped; it goes on from its committed offsets afterwards.
 */
void runRebuildCommand('reporting', ReportingConfig, rebuildReporting);
