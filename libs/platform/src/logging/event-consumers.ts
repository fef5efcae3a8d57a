import { INestApplication } from '@nestjs/common';
import { connectEventConsumers, EventBatchServer } from '@valley/messaging';
import { Logger } from 'pino';
import { SERVICE_LOGGER } from '../service-core.module';
import { EventLoggingInterceptor } from './event-logging.interceptor';

/**
 * Starts the service's @ConsumeEvents handlers, after `app.init()` (in the background: joining the group can take a
 * while after a restart, and nothing waits for it), with the event in every log line they write.
 */
export async function startEventConsumers(app: INestApplication): Promise<EventBatchServer> {
  const server = connectEventConsumers(app, [new EventLoggingInterceptor(app.get<Logger>(SERVICE_LOGGER))]);
  await app.startAllMicroservices();
  return server;
}
