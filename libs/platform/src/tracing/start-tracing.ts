/**
 * OpenTelemetry traces for a service process. Kept apart from the platform's main entry point
 * (`@valley/platform/tracing` loads no Nest, no http, no pg): a service's main.ts starts it first,
 * before anything requires the modules the instrumentations hook.
 *
 * On only when told where to export: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or `OTEL_TRACES_EXPORTER` naming an exporter (`zipkin`
 * with `OTEL_EXPORTER_ZIPKIN_ENDPOINT`, as `TRACES=1 npm start` does; `console`). Otherwise no SDK
 * is started at all and `@opentelemetry/api` stays the no-op it is by default. Everything else is
 * the SDK's standard environment (`OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_TRACES_SAMPLER`,
 * `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SDK_DISABLED`...). Traces only:
 * metrics are Prometheus's (libs/platform/src/metrics), logs go to stdout with the trace ids in them.
 */
import type { NodeSDK } from '@opentelemetry/sdk-node';

type Env = Record<string, string | undefined>;

/** The SDK's variables a deployment sets for every service (docker-compose.yml, .env.example). */
export const TRACING_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL'] as const;

let running: { sdk: NodeSDK; service: string } | null = null;

/** Whether the environment asks for traces (see above). */
export function tracingEnabled(env: Env = process.env): boolean {
  if (/^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '')) return false;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return true;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');
  return exporters.length > 0;
}

/** Paths no one wants a trace of: probes and scrapes, every few seconds. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Starts the SDK for `service` (its `service.name`) when the environment asks for traces; returns
 * whether it did. HTTP server and client spans (instrumentation-http), Postgres spans inside a trace
 * (instrumentation-pg, never a root of their own: the outbox relay and the sender poll all the
 * time); the Kafka spans are libs/messaging's own (see its tracing/trace-context.ts).
 */
export function startTracing(service: string, env: Env = process.env): boolean {
  if (running) return true;
  if (!tracingEnabled(env)) return false;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || service,
    // Traces only: no OTLP metrics or logs (the SDK's default when these are not given).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
        // A JWKS refresh or a health probe of another service is not worth a trace of its own.
        requireParentforOutgoingSpans: true,
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  running = { sdk, service };
  return true;
}

/** Whether this process exports traces. */
export function tracingStarted(): boolean {
  return running !== null;
}

/** Exports what is still buffered and stops the SDK (a service's shutdown). */
export async function stopTracing(): Promise<void> {
  const current = running;
  running = null;
  await current?.sdk.shutdown();
}
