import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { NotificationsConfig } from '../notifications.config';
import { RenderedEmail } from '../templates';

export interface OutgoingEmail extends RenderedEmail {
  to: string;
  /** Stable per delivery, so a resend after a crash can be recognised downstream. */
  messageId: string;
  headers?: Record<string, string>;
}

/** Thrown for an SMTP answer that no retry can change (5xx, bad recipient). */
export class PermanentMailError extends Error {
  override readonly name = 'PermanentMailError';

  constructor(
    message: string,
    /** The relay refused the recipient itself (5xx at RCPT TO): the address bounces. */
    readonly recipientRefused = false,
    /** The enhanced status code of the answer (RFC 3463), e.g. 5.1.1, if it had one. */
    readonly statusCode: string | null = null,
  ) {
    super(message);
  }
}

/**
 * The relay could not be reached at all (refused, unresolvable, no greeting): the message
 * was never offered, so it says nothing about the message. The sender pauses instead.
 */
export class RelayUnavailableError extends Error {
  override readonly name = 'RelayUnavailableError';
}

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  message?: string;
}

/** Transient (left as it is), permanent, or relay unavailable: how the sender treats a failure. */
export function classifyMailError(error: unknown): Error {
  const e = (error ?? {}) as SmtpError;
  const message = e.message ?? String(error);
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    const statusCode = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(message)?.[1] ?? null;
    return new PermanentMailError(`SMTP ${e.responseCode}: ${message}`, e.command === 'RCPT TO', statusCode);
  }
  const beforeSession = e.command === 'CONN' || e.command === 'GREETING';
  if (e.responseCode === undefined && (beforeSession || e.code === 'ECONNECTION' || e.code === 'EDNS')) {
    return new RelayUnavailableError(`relay unavailable: ${message}`);
  }
  return error instanceof Error ? error : new Error(message);
}

/** SMTP connections kept open while there is mail to send. */
export const MAIL_CONNECTIONS = 4;

/**
 * Sends over SMTP with nodemailer's pooled transport; classifies failures. Connections are
 * reused while mail flows (a relay's greeting and checks cost far more than a message) and
 * closed when the sender goes idle (`release()`), so none is left half-open across an outage.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private transport: Transporter | null = null;

  constructor(private readonly config: NotificationsConfig) {}

  /** Resolves with the Message-ID once the relay accepted the message. */
  async send(email: OutgoingEmail): Promise<string> {
    this.transport ??= nodemailer.createTransport({
      url: this.config.SMTP_URL,
      pool: true,
      maxConnections: MAIL_CONNECTIONS,
      maxMessages: 100,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      const info = await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        to: email.to,
        // Bounce reports go to the envelope sender.
        ...(this.config.BOUNCE_ADDRESS ? { envelope: { from: this.config.BOUNCE_ADDRESS, to: email.to } } : {}),
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: email.headers,
      });
      return info.messageId;
    } catch (error) {
      throw classifyMailError(error);
    }
  }

  /** Closes the pooled connections; the next send opens new ones. */
  release(): void {
    this.transport?.close();
    this.transport = null;
  }

  onApplicationShutdown(): void {
    this.release();
  }
}
