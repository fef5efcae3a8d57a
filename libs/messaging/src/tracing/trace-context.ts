import {
  Attributes,
  Context,
  context,
  Link,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';

/**
 * Trace context across the outbox and Kafka, with `@opentelemetry/api` alone: without a registered
 * SDK (tracing off) every call here is a no-op (no propagator, non-recording spans), so this library
 * neither needs nor imports the platform's tracing setup.
 */

/** The W3C trace context as strings: stored with an outbox row or a delivery, sent as Kafka headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The scope name of the spans this library makes. */
export const MESSAGING_TRACER = '@valley/messaging';

export function messagingTracer(): Tracer {
  return trace.getTracer(MESSAGING_TRACER);
}

/** The W3C trace context of `ctx` (the active one by default); empty while nothing is traced. */
export function injectTraceContext(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const out: TraceCarrier = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/** The context a stored or received W3C trace context stands for (the root context when there is none). */
export function extractTraceContext(carrier: { traceparent?: string | null; tracestate?: string | null }): Context {
  const headers: Record<string, string> = {};
  if (carrier.traceparent) headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  if (!headers.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Records the failure on the span (its exception and an error status). */
export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs `work` in a new span, child of `parent`, ending it (with the failure, if any) when done.
 * For work that starts from a stored context (the SMTP send of a delivery planned earlier).
 */
export async function inSpan<T>(
  name: string,
  options: { parent?: Context; kind?: SpanKind; attributes?: Attributes; tracer?: Tracer },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = (options.tracer ?? messagingTracer()).startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** What the relay needs per published row: the headers to send and its publish span. */
export interface PublishTrace {
  headers: Record<string, string> | undefined;
  span: Span;
}

/**
 * A `send <topic>` producer span per outbox row, child of the context stored with the row (the
 * request that appended it), and the `traceparent` / `tracestate` headers that make the
 * consumers' handling its children. Without tracing: no headers, nothing recorded.
 */
export function startPublishSpan(
  row: { topic: string; traceparent?: string | null; tracestate?: string | null },
  attributes: Attributes = {},
): PublishTrace {
  const parent = extractTraceContext(row);
  const span = messagingTracer().startSpan(
    `send ${row.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.topic,
        ...attributes,
      },
    },
    parent,
  );
  const carrier = injectTraceContext(trace.setSpan(parent, span));
  return { headers: carrier.traceparent ? { ...carrier } : undefined, span };
}

/** Ends the relay's publish spans of one batch, failed or not. */
export function endPublishSpans(traces: PublishTrace[], error?: unknown): void {
  for (const { span } of traces) {
    if (error !== undefined) failSpan(span, error);
    span.end();
  }
}

/** The per-event handling contexts of the chunk being handled: see eventTraceContext. */
const eventContexts = new WeakMap<object, Context>();

/**
 * The trace context of an event's handling (its `process` span), for work that goes on after the
 * handler returns and should stay in the event's trace (a delivery sent later). The active context
 * when the event is not being handled.
 */
export function eventTraceContext(event: object): Context {
  return eventContexts.get(event) ?? context.active();
}

/** One message of a chunk: its headers carry the producer's context. */
export interface TracedEvent {
  event: { eventId: string; type: string };
  message: { topic: string; partition: number; offset: string; headers: Record<string, string> };
}

/** The spans of one handler call, and the context it runs in. */
export interface HandlingSpans {
  context: Context;
  end(error?: unknown): void;
}

/**
 * Spans for one handler call over a chunk of events.
 *
 * - Each event gets a `process <topic>` consumer span whose parent is the context in its Kafka
 *   headers (the relay's `send` span): in the trace of one admission, every consumer's handling is
 *   a child of the producer's publish, though kafkajs hands batches over (its own instrumentation
 *   would only link each message to a poll span).
 * - A chunk of one event (the live case: events come one by one) runs in that span's context, so
 *   its log lines and database spans belong to the event's trace.
 * - A chunk of several events is handled in one transaction, so one span cannot be the parent of
 *   its work: each event's span covers the chunk's handling, and the handler runs in a `process
 *   <topic> chunk` span linked to every event's producer. Per-event work that happens later asks for
 *   eventTraceContext(event).
 */
export function startHandlingSpans(consumer: string, items: TracedEvent[]): HandlingSpans {
  const tracer = messagingTracer();
  const spans: Span[] = [];
  const links: Link[] = [];
  const common = (topic: string): Attributes => ({
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': topic,
    'messaging.consumer.group.name': consumer,
  });
  let first: Context = ROOT_CONTEXT;
  for (const { event, message } of items) {
    const parent = extractTraceContext(message.headers);
    const span = tracer.startSpan(
      `process ${message.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...common(message.topic),
          'messaging.destination.partition.id': String(message.partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.message.id': event.eventId,
          'valley.event.type': event.type,
        },
      },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    if (spans.length === 0) first = ctx;
    spans.push(span);
    eventContexts.set(event, ctx);
    const producer = trace.getSpanContext(parent);
    if (producer) links.push({ context: producer });
  }
  let chunk: Span | null = null;
  let ctx = first;
  if (items.length > 1) {
    chunk = tracer.startSpan(
      `process ${items[0].message.topic} chunk`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { ...common(items[0].message.topic), 'messaging.batch.message_count': items.length },
        links,
      },
      ROOT_CONTEXT,
    );
    ctx = trace.setSpan(ROOT_CONTEXT, chunk);
  }
  return {
    context: ctx,
    end: (error?: unknown) => {
      for (const span of chunk ? [...spans, chunk] : spans) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
      for (const { event } of items) eventContexts.delete(event);
    },
  };
}

/** Runs one handler call over these events in their handling spans (see startHandlingSpans). */
export async function withHandlingSpans<T>(
  consumer: string,
  items: TracedEvent[],
  handle: () => Promise<T>,
): Promise<T> {
  const spans = startHandlingSpans(consumer, items);
  try {
    const result = await context.with(spans.context, handle);
    spans.end();
    return result;
  } catch (error) {
    spans.end(error);
    throw error;
  }
}
