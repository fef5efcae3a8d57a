import { INestApplication, NestInterceptor } from '@nestjs/common';
import { MicroserviceOptions } from '@nestjs/microservices';
import { MessagingMetrics } from '../metrics/consumer-metrics';
import { ConsumerRegistry } from './consumer-registry';
import { EventBatchServer } from './event-batch.server';
import { EventFailureFilter } from './event-failure.filter';
import { EVENT_PRODUCER, MESSAGE_TRANSPORT, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/**
 * Connects the application's @ConsumeEvents handlers as a microservice on EventBatchServer, with
 * the failure filter (and the given interceptors, e.g. the one that puts the event into every log
 * line). Call it after `app.init()` (topics exist, the providers have started); they start
 * consuming with `app.startAllMicroservices()`, in the background.
 */
export function connectEventConsumers(app: INestApplication, interceptors: NestInterceptor[] = []): EventBatchServer {
  const options = app.get<MessagingOptions>(MESSAGING_OPTIONS);
  const server = new EventBatchServer({
    transport: app.get(MESSAGE_TRANSPORT),
    producer: app.get(EVENT_PRODUCER),
    options,
    registry: app.get(ConsumerRegistry),
    metrics: app.get(MessagingMetrics),
  });
  // Deferred, so that the filter and interceptors below are in place when the handlers are bound;
  // the application's lifecycle hooks have run already and must not run a second time.
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: server },
    { deferInitialization: true },
  );
  (microservice as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  microservice.useGlobalFilters(new EventFailureFilter(options.failureKinds));
  microservice.useGlobalInterceptors(...interceptors);
  return server;
}
