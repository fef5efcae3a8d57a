import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { Logger } from 'pino';

/**
 * The trace and span a log line was written in (the request's, the event's handling, the SMTP
 * send), so that logs and traces can be joined; nothing while nothing is traced.
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getSpan(context.active())?.spanContext();
  if (!span || !isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

/** The one JSON logger of a service process; HTTP logs, Nest logs and kafkajs logs all go through it. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    mixin: traceLogFields,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-applicant-token"]', '*.password'],
      censor: '[redacted]',
    },
    formatters: { level: (label) => ({ level: label }) },
  });
}
