import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { backoffDelay, RetryPolicy } from '@valley/messaging';
import { ContactLanguage } from '@valley/contracts';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Mailer, PermanentMailError } from '../mail/mailer';
import { NotificationsConfig } from '../notifications.config';
import { TemplateName, TemplateRenderer } from '../templates/template-renderer';
import { Delivery, TemplateData } from './delivery.entity';

/** How long a claimed delivery stays reserved for the instance that claimed it. */
const CLAIM_LEASE_MS = 60_000;
const IDLE_POLL_MS = 1_000;
const BATCH_SIZE = 20;

/**
 * Sends pending deliveries. Each round claims due rows with SKIP LOCKED and a lease (so
 * several instances never send one row twice), sends them, and records the outcome.
 *
 * The one window left: the SMTP server accepted a message and the process died before the
 * row said "sent". The lease then expires and the message is sent again, with the same
 * Message-ID. The window is one UPDATE long.
 */
@Injectable()
export class DeliverySender implements OnApplicationBootstrap, OnApplicationShutdown {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly retry: RetryPolicy;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly renderer: TemplateRenderer,
    config: NotificationsConfig,
    @InjectPinoLogger(DeliverySender.name) private readonly logger: PinoLogger,
  ) {
    this.retry = { maxAttempts: config.MAIL_MAX_ATTEMPTS, initialDelayMs: 1_000, maxDelayMs: 5 * 60_000 };
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  wake(): void {
    this.wakeUp?.();
  }

  /** Sends every due delivery once; returns how many it tried. */
  async sendDue(): Promise<number> {
    const due = await this.claimDue();
    for (const delivery of due) await this.sendOne(delivery);
    return due.length;
  }

  private async claimDue(): Promise<Delivery[]> {
    const table = this.dataSource.getRepository(Delivery).metadata.tablePath;
    const [rows] = await this.dataSource.query(
      `UPDATE ${table} SET next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (
         SELECT id FROM ${table}
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [BATCH_SIZE, CLAIM_LEASE_MS / 1000],
    );
    return (rows as Record<string, unknown>[]).map((row) =>
      this.dataSource.getRepository(Delivery).create({
        id: row.id as string,
        eventId: row.event_id as string,
        recipient: row.recipient as string,
        template: row.template as string,
        language: row.language as string,
        templateData: row.template_data as TemplateData,
        attempts: row.attempts as number,
      }),
    );
  }

  private async sendOne(delivery: Delivery): Promise<void> {
    const repository = this.dataSource.getRepository(Delivery);
    const attempt = delivery.attempts + 1;
    try {
      const email = this.renderer.render(
        delivery.template as TemplateName,
        delivery.language as ContactLanguage,
        delivery.templateData,
      );
      const messageId = await this.mailer.send({
        ...email,
        to: delivery.recipient,
        messageId: `<${delivery.id}@valley>`,
      });
      await repository.update(
        { id: delivery.id },
        { status: 'sent', attempts: attempt, sentAt: new Date(), messageId, lastError: null },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentMailError;
      const giveUp = permanent || attempt >= this.retry.maxAttempts;
      await repository.update(
        { id: delivery.id },
        giveUp
          ? { status: 'failed', attempts: attempt, lastError: message }
          : {
              attempts: attempt,
              lastError: message,
              nextAttemptAt: new Date(Date.now() + backoffDelay(this.retry, attempt)),
            },
      );
      this.logger.warn(
        { deliveryId: delivery.id, attempt, permanent, err: error },
        giveUp ? 'email failed' : 'email will be retried',
      );
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let tried = 0;
      try {
        tried = await this.sendDue();
      } catch (error) {
        this.logger.error({ err: error }, 'delivery round failed');
      }
      if (tried < BATCH_SIZE && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, IDLE_POLL_MS);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
