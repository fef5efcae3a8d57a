import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './start-tracing';

/** Exports the spans still buffered when the service stops (SIGTERM), before the process exits. */
@Injectable()
export class TracingLifecycle implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing().catch(() => undefined);
  }
}
