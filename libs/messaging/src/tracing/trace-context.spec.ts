import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  endPublishSpans,
  eventTraceContext,
  extractTraceContext,
  injectTraceContext,
  startPublishSpan,
  TracedEvent,
  withHandlingSpans,
} from './trace-context';

const traced = (eventId: string, headers: Record<string, string>, offset = '7'): TracedEvent => ({
  event: { eventId, type: 'MemberAdmitted' },
  message: { topic: 'valley.membership.lifecycle.v1', partition: 1, offset, headers },
});

// First, as a service runs without OTEL_EXPORTER_OTLP_ENDPOINT: no SDK registered.
describe('trace context without an SDK (tracing off)', () => {
  it('stores nothing, sends no headers, and still runs the handler', async () => {
    expect(injectTraceContext()).toEqual({});
    const publish = startPublishSpan({ topic: 't', traceparent: null, tracestate: null });
    expect(publish.headers).toBeUndefined();
    endPublishSpans([publish]);
    const event = traced('e-0', {});
    await expect(withHandlingSpans('c', [event], async () => 42)).resolves.toBe(42);
  });
});

describe('trace context through the outbox and Kafka (in-memory span exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = () => trace.getTracer('test');

  beforeAll(() => provider.register());
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('round-trips the active context as W3C traceparent / tracestate strings', () => {
    const span = tracer().startSpan('request');
    const carrier = context.with(trace.setSpan(context.active(), span), () => injectTraceContext());
    span.end();
    expect(carrier.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(trace.getSpanContext(extractTraceContext(carrier))).toMatchObject({
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      isRemote: true,
    });
    expect(trace.getSpanContext(extractTraceContext({ traceparent: null }))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('makes the publish a producer span child of the stored context, and sends its own context on', () => {
    const request = tracer().startSpan('request');
    const stored = context.with(trace.setSpan(context.active(), request), () => injectTraceContext());
    request.end();
    const publish = startPublishSpan(
      { topic: 'valley.membership.lifecycle.v1', ...stored },
      { 'messaging.message.id': 'e-1' },
    );
    endPublishSpans([publish]);

    const span = exporter.getFinishedSpans().find((s) => s.name === 'send valley.membership.lifecycle.v1')!;
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(span.attributes['messaging.message.id']).toBe('e-1');
    expect(publish.headers).toEqual({
      traceparent: `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`,
    });
  });

  it('marks every publish span of a failed send', () => {
    const traces = [startPublishSpan({ topic: 'a' }), startPublishSpan({ topic: 'b' })];
    endPublishSpans(traces, new Error('broker away'));
    expect(exporter.getFinishedSpans().map((s) => s.status)).toEqual([
      { code: SpanStatusCode.ERROR, message: 'broker away' },
      { code: SpanStatusCode.ERROR, message: 'broker away' },
    ]);
  });

  it("runs a one-event handling in a consumer span, child of the producer's, with the event's context", async () => {
    const producer = startPublishSpan({ topic: 'valley.membership.lifecycle.v1' });
    endPublishSpans([producer]);
    const item = traced('e-2', producer.headers!);
    const seen = await withHandlingSpans('directory-projection', [item], async () => ({
      active: trace.getSpanContext(context.active()),
      ofEvent: trace.getSpanContext(eventTraceContext(item.event)),
    }));

    const process = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(process.name).toBe('process valley.membership.lifecycle.v1');
    expect(process.parentSpanContext?.spanId).toBe(producer.span.spanContext().spanId);
    expect(process.spanContext().traceId).toBe(producer.span.spanContext().traceId);
    expect(process.attributes).toMatchObject({
      'messaging.consumer.group.name': 'directory-projection',
      'messaging.message.id': 'e-2',
      'messaging.kafka.offset': 7,
      'valley.event.type': 'MemberAdmitted',
    });
    expect(seen.active?.spanId).toBe(process.spanContext().spanId);
    expect(seen.ofEvent?.spanId).toBe(process.spanContext().spanId);
    // Once handled, the event's context is forgotten.
    expect(trace.getSpanContext(eventTraceContext(item.event))).toBeUndefined();
  });

  it('gives each event of a chunk its own span in its own trace, and runs the chunk in a span linked to all', async () => {
    const producers = [startPublishSpan({ topic: 't' }), startPublishSpan({ topic: 't' })];
    endPublishSpans(producers);
    const items = producers.map((p, i) => traced(`e-${i}`, p.headers!, String(i)));
    const during = await withHandlingSpans('reporting-membership', items, async () => ({
      active: trace.getSpanContext(context.active())!,
      ofEvents: items.map((item) => trace.getSpanContext(eventTraceContext(item.event))!),
    }));

    const consumers = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
    const chunk = consumers.find((s) => s.name.endsWith(' chunk'))!;
    const perEvent = consumers.filter((s) => s !== chunk);
    expect(perEvent.map((s) => s.parentSpanContext?.spanId)).toEqual(producers.map((p) => p.span.spanContext().spanId));
    expect(perEvent.map((s) => s.spanContext().traceId)).toEqual(producers.map((p) => p.span.spanContext().traceId));
    expect(chunk.links.map((l) => l.context.spanId)).toEqual(producers.map((p) => p.span.spanContext().spanId));
    expect(chunk.attributes['messaging.batch.message_count']).toBe(2);
    expect(during.active.spanId).toBe(chunk.spanContext().spanId);
    expect(during.ofEvents.map((c) => c.spanId)).toEqual(perEvent.map((s) => s.spanContext().spanId));
  });

  it('records a failed handling on its spans and passes the error on', async () => {
    await expect(
      withHandlingSpans('c', [traced('e-3', {})], async () => {
        throw new TypeError('cannot apply this one');
      }),
    ).rejects.toThrow('cannot apply this one');
    const [span] = exporter.getFinishedSpans();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    // No producer context in the headers: the handling starts a trace of its own.
    expect(span.parentSpanContext).toBeUndefined();
  });
});
