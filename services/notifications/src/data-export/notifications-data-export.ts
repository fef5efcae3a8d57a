import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataExportSource } from '@valley/platform';
import { DataSource } from 'typeorm';
import { BouncingAddress } from '../bounces';
import { Contact } from '../contacts';
import { Delivery, DeliveryCause } from '../deliveries';
import { Unsubscribe } from '../unsubscribe';

/**
 * Notifications' part of an organisation's data export: its contact (name, address, language,
 * consent), every email its own lifecycle caused (to it, or about it to the coordinator; not the
 * announcements of its admission to other members) and every email sent to its contact's address, with what each said (the template data) and how it went;
 * its unsubscribes and whether its address bounces. Trace ids are left out; links' secrets were
 * never stored.
 */
@Injectable()
export class NotificationsDataExport implements DataExportSource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async collect(organisationId: string): Promise<Record<string, unknown>> {
    const contact = await this.dataSource.getRepository(Contact).findOneBy({ organisationId });
    const email = contact?.email ?? null;
    const deliveries = this.dataSource.getMetadata(Delivery).tablePath;
    const causes = this.dataSource.getMetadata(DeliveryCause).tablePath;
    const [emails, unsubscribes, bounce] = await Promise.all([
      this.dataSource.query(
        `SELECT d.id, d.event_id AS "eventId", d.event_type AS "eventType", d.recipient,
                d.recipient_kind AS "recipientKind", d.template, d.language, d.template_data AS "templateData",
                d.status, d.attempts, d.last_error AS "lastError", d.message_id AS "messageId",
                d.created_at AS "createdAt", d.sent_at AS "sentAt"
         FROM ${deliveries} d
         -- Announcements of its admission went to other members: theirs, not its (their names are in them).
         WHERE (d.event_id IN (SELECT event_id FROM ${causes} WHERE message_key = $1) AND d.template <> 'announcement')
            OR d.recipient = $2
         ORDER BY d.created_at, d.id`,
        [organisationId, email],
      ) as Promise<Record<string, unknown>[]>,
      this.dataSource
        .getRepository(Unsubscribe)
        .find({ where: [{ organisationId }, ...(email ? [{ email }] : [])], order: { unsubscribedAt: 'ASC' } }),
      email ? this.dataSource.getRepository(BouncingAddress).findOneBy({ address: email }) : null,
    ]);
    return {
      contact: contact ? { ...contact, updatedAt: contact.updatedAt.toISOString() } : null,
      emails: emails.map((e) => ({
        ...e,
        createdAt: (e.createdAt as Date).toISOString(),
        sentAt: (e.sentAt as Date | null)?.toISOString() ?? null,
      })),
      unsubscribes: unsubscribes.map((u) => ({ ...u, unsubscribedAt: u.unsubscribedAt.toISOString() })),
      bouncing: bounce ? { ...bounce, bouncedAt: bounce.bouncedAt.toISOString() } : null,
    };
  }
}
