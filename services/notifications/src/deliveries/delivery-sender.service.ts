import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ContactLanguage, RecipientKind } from '@valley/contracts';
import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  backoffDelay,
  errorMessage,
  extractTraceContext,
  failSpan,
  PollingWorker,
  RetryPolicy,
  waitOutInfrastructure,
} from '@valley/messaging';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { BounceList } from '../bounces';
import { MAIL_CONNECTIONS, Mailer, PermanentMailError, RelayUnavailableError, SendRateLimiter } from '../mail';
import { NotificationsConfig } from '../notifications.config';
import { isTemplateName, RenderedEmail, TemplateRenderer } from '../templates';
import { UnsubscribeTokens } from '../unsubscribe';
import { ApplicantStatusLinks } from './applicant-status-links';
import { ClaimedDelivery, DeliveryOutcomes } from './delivery-outcomes.service';
import { DeliveryCause } from './delivery-cause.entity';
import { Delivery } from './delivery.entity';
import { SIGN_IN_TEMPLATE, SignInLinks } from './sign-in-links';

/** How long a claimed delivery stays reserved for the instance that claimed it. */
export const CLAIM_LEASE_MS = 60_000;
const IDLE_POLL_MS = 1_000;
/** Messages in flight at once: twice the SMTP connections, so that none waits on our database writes. */
export const SEND_CONCURRENCY = MAIL_CONNECTIONS * 2;
/** The longest wait between tries of one message, and between probes of an unreachable relay. */
const MAX_RETRY_DELAY_MS = 15 * 60_000;
const MAX_RELAY_PROBE_MS = 60_000;

type Outcome = 'sent' | 'retry' | 'failed' | 'relay-down' | 'waiting';

/** The scope name of the sender's spans. */
const SENDER_TRACER = '@valley/notifications';

/** When an acknowledgement waiting for its status link looks again. */
const LINK_RECHECK_MS = 500;

/**
 * Sends pending deliveries. Each round claims due rows with SKIP LOCKED and a lease (so
 * several instances never send one row twice), sends them a few at a time at the configured
 * rate over a few pooled SMTP connections, and records each outcome on its own:
 *
 * - accepted: `sent` and NotificationSent, in one statement;
 * - a transient failure (4xx reply, time-out during the message): the row gets its own
 *   backoff with jitter and the others go on;
 * - a permanent failure (5xx), or the last try: `failed`, the cause to the dead-letter topic,
 *   NotificationFailed;
 * - the relay cannot be reached at all: the message was never offered, so no try is used up.
 *   The sender stops the round, hands the unsent rows back due at the next probe, and probes
 *   with exponential backoff (capped at a minute) until the relay answers. An outage of any
 *   length delays mail and loses none.
 *
 * The one window left: the relay accepted a message and the process died before the row said
 * "sent" (one short transaction). The lease then expires and the message goes out again, with
 * the same Message-ID, so that mail systems can recognise the duplicate.
 */
@Injectable()
export class DeliverySender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: PollingWorker;
  private readonly retry: RetryPolicy;
  private readonly limiter: SendRateLimiter;
  private readonly batchSize: number;
  private relayFailures = 0;
  private pausedUntil = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly renderer: TemplateRenderer,
    private readonly tokens: UnsubscribeTokens,
    private readonly outcomes: DeliveryOutcomes,
    private readonly statusLinks: ApplicantStatusLinks,
    private readonly signInLinks: SignInLinks,
    private readonly bounces: BounceList,
    config: NotificationsConfig,
    @InjectPinoLogger(DeliverySender.name) private readonly logger: PinoLogger,
  ) {
    this.retry = {
      maxAttempts: config.MAIL_MAX_ATTEMPTS,
      initialDelayMs: config.MAIL_RETRY_DELAY_MS,
      maxDelayMs: MAX_RETRY_DELAY_MS,
    };
    this.limiter = new SendRateLimiter(config.MAIL_RATE_PER_SECOND);
    // A claimed batch must go out well within its lease at the configured rate.
    this.batchSize = Math.max(1, Math.min(100, Math.floor((config.MAIL_RATE_PER_SECOND * CLAIM_LEASE_MS) / 4_000)));
    this.worker = new PollingWorker(() => this.round(), {
      name: 'delivery round',
      component: 'delivery-sender',
      logger,
      intervalMs: IDLE_POLL_MS,
      backoff: { initialDelayMs: IDLE_POLL_MS, maxDelayMs: IDLE_POLL_MS * 5 },
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** Before the database and the mailer close: the round in flight finishes, unsent rows are handed back. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  wake(): void {
    this.worker.wake();
  }

  /** Sends one claimed batch of due deliveries; returns how many it claimed. */
  async sendDue(): Promise<number> {
    if (Date.now() < this.pausedUntil) return 0;
    const due = await this.claimDue();
    const queue = [...due];
    const unsent: ClaimedDelivery[] = [];
    let stop = false;
    const worker = async () => {
      while (queue.length > 0) {
        const delivery = queue.shift()!;
        if (stop || this.worker.stopping) {
          unsent.push(delivery);
          continue;
        }
        await this.limiter.take();
        if (stop || this.worker.stopping) {
          unsent.push(delivery);
          continue;
        }
        let outcome: Outcome;
        try {
          outcome = await this.sendOne(delivery);
        } catch (error) {
          // Recording the outcome failed (database unreachable): the lease expires and the row is tried again.
          this.logger.error({ deliveryId: delivery.id, err: error }, 'could not record the outcome of a delivery');
          continue;
        }
        if (outcome === 'relay-down') {
          unsent.push(delivery);
          stop = true;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, due.length) }, worker));
    if (stop) this.pauseForRelay();
    if (unsent.length > 0) await this.release(unsent, stop ? this.pausedUntil : Date.now());
    return due.length;
  }

  private async claimDue(): Promise<ClaimedDelivery[]> {
    const table = this.dataSource.getRepository(Delivery).metadata.tablePath;
    const causes = this.dataSource.getMetadata(DeliveryCause).tablePath;
    // Messages to one person (acknowledgments, welcomes, notices) go before announcements.
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE ${table} SET next_attempt_at = now() + make_interval(secs => $2)
         WHERE id IN (
           SELECT id FROM ${table}
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY (template = 'announcement'), next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
         RETURNING *)
       SELECT claimed.*, c.correlation_id, c.topic AS cause_topic, c.message_key AS cause_key,
              c.envelope AS cause_envelope
       FROM claimed LEFT JOIN ${causes} c ON c.event_id = claimed.event_id
       ORDER BY (claimed.template = 'announcement'), claimed.created_at`,
      [this.batchSize, CLAIM_LEASE_MS / 1000],
    );
    return rows.map((row) => ({
      id: row.id as string,
      eventId: row.event_id as string,
      eventType: row.event_type as string,
      recipient: row.recipient as string,
      recipientKind: row.recipient_kind as RecipientKind,
      template: row.template as string,
      language: row.language as ContactLanguage,
      templateData: row.template_data as Record<string, unknown>,
      attempts: row.attempts as number,
      correlationId: (row.correlation_id as string | null) ?? null,
      cause: row.cause_topic
        ? {
            topic: row.cause_topic as string,
            messageKey: row.cause_key as string,
            envelope: row.cause_envelope as string,
          }
        : null,
      createdAt: new Date(row.created_at as string),
      traceparent: (row.traceparent as string | null) ?? null,
      tracestate: (row.tracestate as string | null) ?? null,
    }));
  }

  private async sendOne(delivery: ClaimedDelivery): Promise<Outcome> {
    const attempt = delivery.attempts + 1;
    let statusUrl: string | null = null;
    // Secrets rendered into this email only, never stored with the delivery.
    let secretData: Record<string, string> = {};
    const bounced = await this.bounces.find(delivery.recipient);
    if (bounced) {
      // Not the event's fault, and no retry could deliver it: no dead letter.
      await this.outcomes.failed(
        delivery,
        attempt,
        `not sent: the address bounced on ${bounced.bouncedAt.toISOString().slice(0, 10)} ` +
          `(${bounced.statusCode ?? bounced.source}); it gets mail again once the contact's email changes`,
        { deadLetter: false },
      );
      return 'failed';
    }
    if (delivery.template === 'application-received') {
      const link = await this.statusLinks.forDelivery(delivery);
      if ('wait' in link) {
        // Not a try: the token is on its way on the access topic.
        await this.release([delivery], Date.now() + LINK_RECHECK_MS);
        return 'waiting';
      }
      statusUrl = link.url;
      if (statusUrl) secretData = { statusUrl };
    } else if (delivery.template === SIGN_IN_TEMPLATE) {
      const link = await this.signInLinks.forDelivery(delivery);
      if ('expired' in link) {
        // Useless once expired (membership refuses it): not sent, the token deleted, no dead letter
        // (the event is not at fault, and a retry could not send it either).
        await this.outcomes.failed(
          delivery,
          attempt,
          `sign-in link expired at ${link.expiresAt.toISOString()} before it could be sent; not sent`,
          { deadLetter: false },
        );
        this.logger.warn({ deliveryId: delivery.id }, 'sign-in link expired before it could be sent');
        return 'failed';
      }
      if ('missing' in link) {
        await this.outcomes.failed(
          delivery,
          attempt,
          'sign-in link no longer held (its token is deleted once the email has gone out or failed); not sent',
          { deadLetter: false },
        );
        return 'failed';
      }
      secretData = { signInUrl: link.url };
    }
    let email: RenderedEmail & { headers?: Record<string, string> };
    try {
      email = this.render(
        Object.keys(secretData).length > 0
          ? { ...delivery, templateData: { ...delivery.templateData, ...secretData } }
          : delivery,
      );
    } catch (error) {
      // A template that cannot render will not render on the next try either.
      await this.outcomes.failed(delivery, attempt, `cannot render: ${errorMessage(error, { name: false })}`);
      return 'failed';
    }
    // The send is a span of the trace of the event that planned it (the delivery keeps that context);
    // its outcome (NotificationSent, NotificationFailed) enters the outbox in the send's context.
    const planned = extractTraceContext(delivery);
    const span = trace.getTracer(SENDER_TRACER).startSpan(
      'smtp send',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'valley.delivery.id': delivery.id,
          'valley.template': delivery.template,
          'valley.attempt': attempt,
        },
      },
      planned,
    );
    const inSend = trace.setSpan(planned, span);
    let messageId: string;
    try {
      messageId = await context.with(inSend, () =>
        this.mailer.send({ ...email, to: delivery.recipient, messageId: `<${delivery.id}@valley>` }),
      );
    } catch (error) {
      failSpan(span, error);
      span.end();
      return context.with(inSend, () => this.onFailure(delivery, attempt, error));
    }
    span.end();
    this.relayFailures = 0;
    context.with(inSend, () =>
      this.logger.debug(
        { deliveryId: delivery.id, template: delivery.template, attempt },
        'email accepted by the relay',
      ),
    );
    // Accepted. Left unrecorded, the message would go out again once the lease ends: a lost
    // connection (or a deadlock) is waited out, for at most half a lease (a claimed batch goes out
    // within a quarter of it). Marking twice is harmless (only a pending row is marked). Any other
    // failure to record is not a failure to send: it propagates (see the crash window).
    await context.with(inSend, () =>
      waitOutInfrastructure(() => this.outcomes.sent(delivery, attempt, messageId), {
        deadline: Date.now() + CLAIM_LEASE_MS / 2,
        onRetry: (error, retry) =>
          retry === 1 && this.logger.warn({ deliveryId: delivery.id, err: error }, 'recording a sent email; retrying'),
      }),
    );
    if (statusUrl) await this.statusLinks.forget(delivery);
    return 'sent';
  }

  private render(delivery: ClaimedDelivery): RenderedEmail & { headers?: Record<string, string> } {
    if (!isTemplateName(delivery.template)) throw new Error(`unknown template ${delivery.template}`);
    if (delivery.template !== 'announcement') {
      return this.renderer.render(delivery.template, delivery.language, delivery.templateData);
    }
    const unsubscribeUrl = this.tokens.url(delivery.recipient);
    return {
      ...this.renderer.render('announcement', delivery.language, { ...delivery.templateData, unsubscribeUrl }),
      // RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the link.
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  private async onFailure(delivery: ClaimedDelivery, attempt: number, error: unknown): Promise<Outcome> {
    const message = errorMessage(error, { name: false });
    if (error instanceof RelayUnavailableError) {
      await this.dataSource
        .getRepository(Delivery)
        .update({ id: delivery.id, status: 'pending' }, { lastError: message });
      return 'relay-down';
    }
    const permanent = error instanceof PermanentMailError;
    if (permanent && error.recipientRefused) {
      await this.bounces.record({
        address: delivery.recipient,
        source: 'smtp',
        statusCode: error.statusCode,
        reason: message.slice(0, 2_000),
        deliveryId: delivery.id,
      });
    }
    if (permanent || attempt >= this.retry.maxAttempts) {
      await this.outcomes.failed(delivery, attempt, permanent ? message : `${attempt} tries: ${message}`);
      this.logger.warn({ deliveryId: delivery.id, attempt, permanent, err: error }, 'email failed');
      return 'failed';
    }
    await this.dataSource.getRepository(Delivery).update(
      { id: delivery.id, status: 'pending' },
      {
        attempts: attempt,
        lastError: message,
        nextAttemptAt: new Date(Date.now() + backoffDelay(this.retry, attempt)),
      },
    );
    this.logger.warn({ deliveryId: delivery.id, attempt, err: error }, 'email will be retried');
    return 'retry';
  }

  /** One more round found the relay unreachable: wait longer before the next probe. */
  private pauseForRelay(): void {
    this.relayFailures++;
    const wait = backoffDelay(
      { maxAttempts: Infinity, initialDelayMs: this.retry.initialDelayMs, maxDelayMs: MAX_RELAY_PROBE_MS },
      this.relayFailures,
    );
    this.pausedUntil = Date.now() + wait;
    this.logger.warn({ waitMs: wait, rounds: this.relayFailures }, 'SMTP relay unavailable; pausing');
  }

  /** Claimed rows not offered to the relay become due again at `at` instead of after the lease. */
  private async release(deliveries: ClaimedDelivery[], at: number): Promise<void> {
    const table = this.dataSource.getRepository(Delivery).metadata.tablePath;
    await this.dataSource.query(
      `UPDATE ${table} SET next_attempt_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [deliveries.map((d) => d.id), new Date(at)],
    );
  }

  /** One round: a batch sent at once after a batch, else a wait (longer while the relay is paused). */
  private async round(): Promise<number | undefined> {
    if ((await this.sendDue()) > 0) return 0;
    this.mailer.release();
    return Math.min(Math.max(IDLE_POLL_MS, this.pausedUntil - Date.now()), IDLE_POLL_MS * 5);
  }
}
