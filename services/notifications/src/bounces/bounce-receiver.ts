import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { errorMessage } from '@valley/messaging';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';
import { NotificationsConfig } from '../notifications.config';
import { BounceList } from './bounce-list.service';
import { parseDeliveryStatusReport } from './delivery-status';

/** Our Message-IDs are `<delivery id@valley>` (see DeliverySender). */
const OUR_MESSAGE_ID = /^<([0-9a-f-]{36})@valley>$/i;
const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/**
 * The bounce address's mail exchanger: an SMTP server (on BOUNCE_SMTP_PORT) that takes the
 * delivery status notifications mail systems send back (RFC 3464) and records every recipient
 * that failed for good, when the report names a message we sent to that recipient. A report is answered 250 once recorded; while the database cannot be
 * written it is answered 451, so the sending system keeps it and tries again: no report is lost.
 * Anything that is no report (an auto-reply) is accepted and dropped.
 */
@Injectable()
export class BounceReceiver implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: SMTPServer | null = null;

  constructor(
    private readonly config: NotificationsConfig,
    private readonly bounces: BounceList,
    @InjectPinoLogger(BounceReceiver.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.BOUNCE_SMTP_PORT === undefined) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      size: MAX_REPORT_BYTES,
      banner: 'Valley bounce receiver',
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    server.on('error', (error: Error) => this.logger.warn({ err: error }, 'bounce receiver connection failed'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.BOUNCE_SMTP_PORT, this.config.BOUNCE_SMTP_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ port: this.port }, 'bounce receiver listening');
  }

  /** The port it listens on (BOUNCE_SMTP_PORT=0 picks a free one), or null when none runs. */
  get port(): number | null {
    const net = (this.server as unknown as { server?: { address(): AddressInfo | null } } | null)?.server;
    return net?.address()?.port ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(
    stream: NodeJS.ReadableStream & { sizeExceeded?: boolean },
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        callback(Object.assign(new Error('report too large'), { responseCode: 552 }));
        return;
      }
      this.record(Buffer.concat(chunks), session).then(
        () => callback(),
        (error: unknown) => {
          this.logger.warn({ err: error }, 'could not record a bounce report; the sender is asked to try again');
          callback(Object.assign(new Error('cannot record the report now, try again later'), { responseCode: 451 }));
        },
      );
    });
  }

  private async record(raw: Buffer, session: SMTPServerSession): Promise<void> {
    let report;
    try {
      report = await parseDeliveryStatusReport(raw);
    } catch (error) {
      this.logger.info({ err: errorMessage(error) }, 'unreadable message to the bounce address dropped');
      return;
    }
    if (!report) {
      this.logger.info(
        { recipients: session.envelope.rcptTo.length },
        'message to the bounce address is no bounce report; dropped',
      );
      return;
    }
    // Anyone can send mail to the bounce address: a report counts only when it names a message we
    // sent (its Message-ID, a random delivery id only that mailbox saw) and that message's recipient.
    const deliveryId = OUR_MESSAGE_ID.exec(report.originalMessageId ?? '')?.[1] ?? null;
    const recipient = deliveryId ? await this.bounces.recipientOf(deliveryId) : null;
    const trusted = report.failed.filter((failed) => recipient !== null && failed.address === recipient);
    if (trusted.length < report.failed.length) {
      this.logger.info(
        { deliveryId, untrusted: report.failed.length - trusted.length },
        'a bounce report naming no message of ours to that recipient is not taken',
      );
    }
    for (const failed of trusted) {
      await this.bounces.record({
        address: failed.address,
        source: 'dsn',
        statusCode: failed.statusCode,
        reason: failed.reason.slice(0, 2_000),
        deliveryId,
      });
    }
    if (trusted.length > 0) this.logger.info({ deliveryId, bounced: trusted.length }, 'bounce report recorded');
  }
}
