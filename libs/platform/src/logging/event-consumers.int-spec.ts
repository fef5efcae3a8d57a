import { Controller, DynamicModule, INestApplication, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deadLetterTopic, Topics, TypedEvent } from '@valley/contracts';
import { ConsumeEvents } from '@valley/messaging';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';
import { ServiceCoreModule } from '../service-core.module';
import { testServiceEnv } from '../testing';
import { eventually, KafkaTestClient, memberAdmittedEvent, uniqueTopicPrefix } from '@valley/testing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createNestApp } from '../http/http-platform';
import { startEventConsumers } from './event-consumers';

class TestConfig extends ServiceConfig {
  override PORT = 0;
  override METRICS_PORT = 0;
}

/** What the handler below saw: its batches, and the calls that failed as a lost connection would. */
const seen = { batches: [] as string[][], failuresLeft: 0, poison: new Set<string>() };

@Controller()
class TestEventsController {
  constructor(@InjectPinoLogger('TestEvents') private readonly logger: PinoLogger) {}

  @ConsumeEvents({
    consumer: 'platform-test-consumer',
    topics: [Topics.MembershipLifecycle],
    handles: ['MemberAdmitted'],
  })
  async apply(@Payload() events: TypedEvent[]): Promise<void> {
    this.logger.info('applying');
    if (seen.failuresLeft-- > 0) {
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    }
    if (events.some((e) => seen.poison.has(e.eventId))) throw new TypeError('cannot apply this one');
    seen.batches.push(events.map((e) => e.eventId));
  }
}

/**
 * @ConsumeEvents handlers on the custom transport, through Nest (filter, interceptor), against the
 * real Kafka and Postgres: batches arrive, a lost connection is waited out, a poison event is
 * dead-lettered with its own reason, and every log line written meanwhile names the event.
 */
describe('event consumers the NestJS way (real Kafka)', () => {
  const prefix = uniqueTopicPrefix();
  const lines: Record<string, unknown>[] = [];
  const kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), prefix);
  let app: INestApplication;

  beforeAll(async () => {
    const config = loadConfig(TestConfig, { ...testServiceEnv('directory', prefix), LOG_LEVEL: 'info' });
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    );
    @Module({ controllers: [TestEventsController] })
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
  });

  it('hands batches over, waits out a lost connection, names the event in every log line', async () => {
    seen.failuresLeft = 3;
    const event = memberAdmittedEvent();
    await kafka.produce(Topics.MembershipLifecycle, [{ key: event.aggregateId, value: JSON.stringify(event) }]);

    await eventually(() => expect(seen.batches.flat()).toContain(event.eventId), 30_000);
    const mine = lines.filter((l) => l.msg === 'applying' && l.eventId === event.eventId);
    expect(mine).toHaveLength(4); // three tries met the lost connection, the fourth applied it
    expect(mine[0]).toMatchObject({
      consumer: 'platform-test-consumer',
      type: 'MemberAdmitted',
      correlationId: event.correlationId,
      causationId: event.causationId,
    });
    expect(await kafka.readAll(deadLetterTopic('directory'), 500)).toEqual([]);
  });

  it('dead-letters a poison event with its own reason, not a wrapped one', async () => {
    const poison = memberAdmittedEvent();
    seen.poison.add(poison.eventId);
    await kafka.produce(Topics.MembershipLifecycle, [{ key: poison.aggregateId, value: JSON.stringify(poison) }]);

    const [letter] = await eventually(async () => {
      const letters = await kafka.readAll(deadLetterTopic('directory'), 500);
      expect(letters).toHaveLength(1);
      return letters;
    }, 30_000);
    expect(JSON.parse(letter.value!).eventId).toBe(poison.eventId);
    expect(letter.headers['x-dead-letter-reason']).toMatch(/^failed 5 times: TypeError: cannot apply this one$/);
  });
});
