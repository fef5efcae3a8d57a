import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { errorMessage } from '../failures/failure-kind';
import { LogSink } from '../logging';
import { OutboxRelay } from './outbox-relay';

const EVERY_HOUR_MS = 3_600_000;

/**
 * Deletes published outbox rows older than the retention, once an hour and once at start, in every
 * service that has an outbox (OutboxModule provides it). Unpublished rows are never deleted.
 * Several instances may run it at once: a DELETE of rows another instance already deleted
 * deletes nothing.
 */
export class OutboxCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly retentionHours: number,
    private readonly logger: LogSink,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runSafely(), EVERY_HOUR_MS);
    this.timer.unref();
    setImmediate(() => void this.runSafely());
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Deletes what is past retention now; returns how many rows. */
  async run(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionHours * 3_600_000);
    const deleted = await this.relay.deletePublished(cutoff);
    if (deleted > 0) {
      this.logger.info({ component: 'outbox-cleanup', deleted, cutoff: cutoff.toISOString() }, 'outbox cleaned up');
    }
    return deleted;
  }

  private async runSafely(): Promise<void> {
    try {
      await this.run();
    } catch (error) {
      this.logger.error({ component: 'outbox-cleanup', err: errorMessage(error) }, 'outbox cleanup failed');
    }
  }
}
