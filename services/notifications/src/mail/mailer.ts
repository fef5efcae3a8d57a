import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { NotificationsConfig } from '../notifications.config';
import { RenderedEmail } from '../templates/template-renderer';

export interface OutgoingEmail extends RenderedEmail {
  to: string;
  /** Stable per delivery, so a resend after a crash can be recognised downstream. */
  messageId: string;
}

/** Thrown for an SMTP answer that no retry can change (5xx, bad recipient). */
export class PermanentMailError extends Error {
  override readonly name = 'PermanentMailError';
}

/** Sends over SMTP with nodemailer; classifies failures as transient or permanent. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(private readonly config: NotificationsConfig) {
    this.transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(email: OutgoingEmail): Promise<string> {
    try {
      const info = await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
      });
      return info.messageId;
    } catch (error) {
      const responseCode = (error as { responseCode?: number }).responseCode;
      if (responseCode !== undefined && responseCode >= 500) {
        throw new PermanentMailError(`SMTP ${responseCode}: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
