import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent } from '@valley/contracts';
import { appendToOutbox, backoffDelay, errorMessage, OutboxRelay, PollingWorker, RetryPolicy } from '@valley/messaging';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DirectoryConfig } from '../directory.config';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEvent } from './webhook-event.entity';
import { webhookSignature } from './webhook-signature';
import { WebhookSubscription } from './webhook-subscription.entity';

/** How long a claimed delivery stays reserved for the process that claimed it (longer than any try). */
const CLAIM_LEASE_MS = 120_000;
const IDLE_POLL_MS = 1_000;
/** Requests in flight at once: a slow endpoint holds one of them until its time-out, never the others. */
const CONCURRENCY = 16;
const BATCH = 64;
const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  url: string;
  secret: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  attempts: number;
}

/**
 * Sends pending webhook deliveries. Each round claims due rows of active subscriptions with SKIP
 * LOCKED and a lease (so the directory's processes never send one twice at once), POSTs each to
 * its endpoint, signed as Standard Webhooks asks (`webhook-id`: the event id, the receiver's
 * idempotency key; `webhook-timestamp`; `webhook-signature`), several at a time, each with its own
 * time-out. A 2xx is delivered; anything else is tried again with backoff and jitter, up to
 * WEBHOOK_MAX_ATTEMPTS, then failed with the reason; WEBHOOK_PAUSE_AFTER_FAILURES deliveries of one
 * subscription failed in a row pause it. A receiver that took an event and answered 500 gets it
 * again with the same id: it takes it once in effect.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: PollingWorker;
  private readonly retry: RetryPolicy;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: DirectoryConfig,
    private readonly relay: OutboxRelay,
    @InjectPinoLogger(WebhookDispatcher.name) private readonly logger: PinoLogger,
  ) {
    this.retry = {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      initialDelayMs: config.WEBHOOK_RETRY_DELAY_MS,
      maxDelayMs: MAX_RETRY_DELAY_MS,
    };
    this.worker = new PollingWorker(() => this.round(), {
      name: 'webhook round',
      component: 'webhook-dispatcher',
      logger,
      intervalMs: IDLE_POLL_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  wake(): void {
    this.worker.wake();
  }

  /** One claimed batch sent; at once again while there was a full one. */
  private async round(): Promise<number | undefined> {
    const due = await this.claimDue();
    const queue = [...due];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, due.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await this.sendOne(next);
      }),
    );
    return due.length === BATCH ? 0 : undefined;
  }

  private async claimDue(): Promise<ClaimedDelivery[]> {
    const deliveries = this.dataSource.getMetadata(WebhookDelivery).tablePath;
    const events = this.dataSource.getMetadata(WebhookEvent).tablePath;
    const subscriptions = this.dataSource.getMetadata(WebhookSubscription).tablePath;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE ${deliveries} SET next_attempt_at = now() + make_interval(secs => $2)
         WHERE id IN (
           SELECT d.id FROM ${deliveries} d JOIN ${subscriptions} s ON s.id = d.subscription_id AND s.status = 'active'
           WHERE d.status = 'pending' AND d.next_attempt_at <= now()
           ORDER BY d.next_attempt_at LIMIT $1
           FOR UPDATE OF d SKIP LOCKED)
         RETURNING id, subscription_id, event_id, attempts)
       SELECT c.*, s.url, s.secret, e.type, e.data, e.occurred_at
       FROM claimed c JOIN ${subscriptions} s ON s.id = c.subscription_id JOIN ${events} e ON e.event_id = c.event_id
       ORDER BY e.occurred_at`,
      [BATCH, CLAIM_LEASE_MS / 1000],
    );
    return rows.map((r) => ({
      id: r.id as string,
      subscriptionId: r.subscription_id as string,
      url: r.url as string,
      secret: r.secret as string,
      eventId: r.event_id as string,
      type: r.type as string,
      data: r.data as Record<string, unknown>,
      occurredAt: r.occurred_at as Date,
      attempts: r.attempts as number,
    }));
  }

  private async sendOne(delivery: ClaimedDelivery): Promise<void> {
    const attempt = delivery.attempts + 1;
    const body = JSON.stringify({
      type: delivery.type,
      timestamp: delivery.occurredAt.toISOString(),
      data: delivery.data,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    let failure: { status: number | null; error: string } | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Valley-Webhooks/1',
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': webhookSignature(delivery.secret, delivery.eventId, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status >= 300) {
        failure = { status: response.status, error: `answered ${response.status} ${response.statusText}`.trim() };
      }
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      failure = {
        status: null,
        error: timedOut ? `no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms` : errorMessage(error),
      };
    }
    try {
      if (!failure) await this.delivered(delivery, attempt);
      else if (attempt >= this.retry.maxAttempts) await this.failed(delivery, attempt, failure);
      else await this.retryLater(delivery, attempt, failure);
    } catch (error) {
      // Recording failed (the database away): the lease runs out and the delivery is tried again.
      this.logger.warn({ deliveryId: delivery.id, err: error }, 'could not record a webhook outcome');
    }
  }

  private async delivered(delivery: ClaimedDelivery, attempt: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(WebhookDelivery)
        .update(
          { id: delivery.id, status: 'pending' },
          { status: 'delivered', attempts: attempt, deliveredAt: new Date(), lastError: null, lastStatusCode: null },
        );
      await manager
        .getRepository(WebhookSubscription)
        .update({ id: delivery.subscriptionId }, { consecutiveFailures: 0 });
    });
  }

  private async retryLater(
    delivery: ClaimedDelivery,
    attempt: number,
    failure: { status: number | null; error: string },
  ): Promise<void> {
    await this.dataSource.getRepository(WebhookDelivery).update(
      { id: delivery.id, status: 'pending' },
      {
        attempts: attempt,
        lastStatusCode: failure.status,
        lastError: failure.error.slice(0, 2_000),
        nextAttemptAt: new Date(Date.now() + backoffDelay(this.retry, attempt)),
      },
    );
  }

  /** Failed for good; the subscription is paused once enough of its deliveries failed in a row. */
  private async failed(
    delivery: ClaimedDelivery,
    attempt: number,
    failure: { status: number | null; error: string },
  ): Promise<void> {
    const reason = `${attempt} tries, the last: ${failure.error}`.slice(0, 2_000);
    const paused = await this.dataSource.transaction(async (manager) => {
      const marked = await manager
        .getRepository(WebhookDelivery)
        .update(
          { id: delivery.id, status: 'pending' },
          { status: 'failed', attempts: attempt, lastStatusCode: failure.status, lastError: reason },
        );
      if (!marked.affected) return false;
      const subscriptions = manager.getRepository(WebhookSubscription).metadata.tablePath;
      const limit = this.config.WEBHOOK_PAUSE_AFTER_FAILURES;
      // Paused by this failure (not before): the one time the coordinator is told, in this commit.
      const [row] = await manager.query(
        // In a WITH: TypeORM answers a bare UPDATE with [rows, count], a SELECT with its rows.
        `WITH updated AS (
         UPDATE ${subscriptions} s SET consecutive_failures = s.consecutive_failures + 1,
           status = CASE WHEN s.consecutive_failures + 1 >= $2 THEN 'paused' ELSE s.status END,
           paused_at = CASE WHEN s.consecutive_failures + 1 >= $2 AND s.status = 'active' THEN now() ELSE s.paused_at END,
           paused_reason = CASE WHEN s.consecutive_failures + 1 >= $2 AND s.status = 'active' THEN $3 ELSE s.paused_reason END
         FROM ${subscriptions} old WHERE s.id = $1 AND old.id = s.id
         RETURNING s.status, old.status AS was, s.url, s.description, s.consecutive_failures, s.paused_reason, s.paused_at)
         SELECT * FROM updated`,
        [delivery.subscriptionId, limit, `${limit} deliveries in a row failed; the last: ${reason}`],
      );
      if (!row || row.status !== 'paused' || row.was !== 'active') return false;
      await appendToOutbox(manager, [
        createEvent({
          type: 'WebhookSubscriptionPaused',
          aggregateId: delivery.subscriptionId,
          producer: 'directory',
          payload: {
            subscriptionId: delivery.subscriptionId,
            url: row.url,
            description: row.description,
            failures: row.consecutive_failures,
            reason: row.paused_reason,
            pausedAt: (row.paused_at as Date).toISOString(),
          },
        }),
      ]);
      return true;
    });
    this.logger.warn(
      { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, reason },
      'webhook delivery failed',
    );
    if (paused) {
      this.logger.warn(
        { subscriptionId: delivery.subscriptionId },
        'webhook subscription paused after failing deliveries',
      );
    }
  }
}
