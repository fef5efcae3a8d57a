// The first import of main.ts: the trace SDK (when the environment asks for it) must hook http
// (the portal's calls to the services go through node:http) before anything requires it.
import { startTracing } from '@valley/platform/tracing';

startTracing('portal');
