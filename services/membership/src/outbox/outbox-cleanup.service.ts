import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { OutboxRelay } from '@valley/messaging';
import { MembershipConfig } from '../membership.config';

const INTERVAL_NAME = 'outbox-cleanup';
const EVERY_HOUR_MS = 3_600_000;

/**
 * Deletes published outbox rows older than OUTBOX_RETENTION_HOURS, once an hour (and once at start).
 * Unpublished rows are never deleted. Several instances may run it at once: a DELETE of rows another
 * instance already deleted deletes nothing.
 */
@Injectable()
export class OutboxCleanupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxCleanup');

  constructor(
    private readonly relay: OutboxRelay,
    private readonly config: MembershipConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.runSafely(), EVERY_HOUR_MS);
    interval.unref();
    this.scheduler.addInterval(INTERVAL_NAME, interval);
    setImmediate(() => void this.runSafely());
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
  }

  /** Deletes what is past retention now; returns how many rows. */
  async run(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.OUTBOX_RETENTION_HOURS * 3_600_000);
    const deleted = await this.relay.deletePublished(cutoff);
    if (deleted > 0) this.logger.log(`deleted ${deleted} published outbox rows older than ${cutoff.toISOString()}`);
    return deleted;
  }

  private async runSafely(): Promise<void> {
    try {
      await this.run();
    } catch (error) {
      this.logger.error(`outbox cleanup failed: ${(error as Error).message}`);
    }
  }
}
