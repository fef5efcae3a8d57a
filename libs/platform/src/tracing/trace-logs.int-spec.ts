import { Controller, DynamicModule, INestApplication, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { context, trace } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Topics, TypedEvent } from '@valley/contracts';
import { ConsumeEvents, injectTraceContext } from '@valley/messaging';
import { eventually, KafkaTestClient, memberAdmittedEvent, uniqueTopicPrefix } from '@valley/testing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';
import { createNestApp } from '../http/http-platform';
import { startEventConsumers } from '../logging/event-consumers';
import { traceLogFields } from '../logging/logger';
import { ServiceCoreModule } from '../service-core.module';
import { testServiceEnv } from '../testing';

class TestConfig extends ServiceConfig {
  override PORT = 0;
  override METRICS_PORT = 0;
}

@Controller()
class TracedEventsController {
  constructor(@InjectPinoLogger('TracedEvents') private readonly logger: PinoLogger) {}

  @ConsumeEvents({
    consumer: 'platform-trace-consumer',
    topics: [Topics.MembershipLifecycle],
    handles: ['MemberAdmitted'],
  })
  async apply(@Payload() events: TypedEvent[]): Promise<void> {
    this.logger.info({ ids: events.map((e) => e.eventId) }, 'applying');
  }
}

/**
 * An event's handling through the real Kafka and the Nest pipeline, with an in-memory span exporter:
 * the handling is a `process` span whose parent is the producer's context from the `traceparent`
 * header, and every log line the handler writes (the service's logger, its mixin) names that trace
 * and span.
 */
describe('traces and log lines of an event handling (real Kafka, in-memory span exporter)', () => {
  const prefix = uniqueTopicPrefix();
  const lines: Record<string, unknown>[] = [];
  const exporter = new InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  let app: INestApplication;

  beforeAll(async () => {
    provider.register();
    const config = loadConfig(TestConfig, { ...testServiceEnv('directory', prefix), LOG_LEVEL: 'info' });
    // The service logger's options that matter here (createLogger writes to stdout).
    const logger = pino(
      { level: 'info', mixin: traceLogFields },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    );
    @Module({ controllers: [TracedEventsController] })
    class TestModule {
      static forRoot(): DynamicModule {
        return {
          module: TestModule,
          imports: [
            ServiceCoreModule.forRoot({
              service: 'directory',
              config,
              logger,
              database: { entities: [], migrations: [] },
            }),
          ],
        };
      }
    }
    app = await createNestApp(TestModule.forRoot(), 'express', { logger: false });
    await app.init();
    await startEventConsumers(app);
  });

  afterAll(async () => {
    await app?.close();
    await kafka.close();
    await provider.shutdown();
  });

  it("makes the handling a child of the producer's span and puts its ids into the handler's log lines", async () => {
    const producer = trace.getTracer('test').startSpan('send');
    const headers = injectTraceContext(trace.setSpan(context.active(), producer)) as Record<string, string>;
    producer.end();
    const event = memberAdmittedEvent();
    await kafka.produce(Topics.MembershipLifecycle, [
      { key: event.aggregateId, value: JSON.stringify(event), headers },
    ]);

    const line = await eventually(() => {
      const found = lines.find((l) => l.msg === 'applying' && (l.ids as string[]).includes(event.eventId));
      expect(found).toBeDefined();
      return found!;
    }, 30_000);
    const handling = await eventually(() => {
      const found = exporter
        .getFinishedSpans()
        .find(
          (s) =>
            s.name === `process ${Topics.MembershipLifecycle}` &&
            s.attributes['messaging.message.id'] === event.eventId,
        );
      expect(found).toBeDefined();
      return found!;
    });
    expect(handling.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(handling.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(handling.attributes['messaging.consumer.group.name']).toBe('platform-trace-consumer');
    expect(line).toMatchObject({
      trace_id: producer.spanContext().traceId,
      span_id: handling.spanContext().spanId,
      eventId: event.eventId,
    });
  });
});
