// The first import of main.ts: the trace SDK (when the environment asks for it) must hook http and
// pg before anything requires them.
import { startTracing } from '@valley/platform/tracing';

startTracing('directory');
