import { Injectable } from '@nestjs/common';
import { restorePersonalFields, TypedEvent } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { BouncingAddress } from '../bounces';
import { Contact } from '../contacts';
import { Delivery, DeliveryCause, ERASED_RECIPIENT } from '../deliveries';
import { Unsubscribe } from '../unsubscribe';

/**
 * Notifications forgets an erased organisation (PersonalDataErased), in the consumer's batch
 * transaction: its contact; the addresses, names and error texts of the emails its lifecycle
 * caused or that went to its address (the rows stay, as the record that an email was sent, and
 * for the delivery figures), its statement in the announcements of its admission; the personal fields of the events kept as their causes; its
 * unsubscribes and its bounce. An email still waiting is not sent.
 */
@Injectable()
export class NotificationsErasure {
  async forget(manager: EntityManager, organisationId: string): Promise<void> {
    const contact = await manager.getRepository(Contact).findOneBy({ organisationId });
    const email = contact?.email ?? null;
    const deliveries = manager.getRepository(Delivery).metadata.tablePath;
    const causes = manager.getRepository(DeliveryCause).metadata.tablePath;
    await manager.query(
      `UPDATE ${deliveries} d
       SET recipient = CASE WHEN d.recipient_kind = 'coordinator' THEN d.recipient ELSE '${ERASED_RECIPIENT}' || d.id END,
           template_data = d.template_data - 'contactName',
           last_error = CASE WHEN d.status = 'pending' THEN 'not sent: the organisation''s personal data was erased'
                             WHEN $2::text IS NULL THEN d.last_error
                             ELSE replace(d.last_error, $2, '(erased)') END,
           status = CASE WHEN d.status = 'pending' THEN 'failed' ELSE d.status END
       WHERE (d.event_id IN (SELECT event_id FROM ${causes} WHERE message_key = $1) AND d.template <> 'announcement')
          OR d.recipient = $2`,
      [organisationId, email],
    );
    // The announcements of its admission to the other members keep its name, not its statement.
    await manager.query(
      `UPDATE ${deliveries} SET template_data = template_data - 'statement'
       WHERE template = 'announcement' AND event_id IN (SELECT event_id FROM ${causes} WHERE message_key = $1)`,
      [organisationId],
    );
    const kept: { event_id: string; envelope: string }[] = await manager.query(
      `SELECT event_id, envelope FROM ${causes} WHERE message_key = $1`,
      [organisationId],
    );
    for (const cause of kept) {
      const stripped = restorePersonalFields(JSON.parse(cause.envelope) as TypedEvent, null);
      await manager.query(`UPDATE ${causes} SET envelope = $2 WHERE event_id = $1`, [
        cause.event_id,
        JSON.stringify(stripped),
      ]);
    }
    await manager.getRepository(Unsubscribe).delete({ organisationId });
    if (email) {
      await manager.getRepository(Unsubscribe).delete({ email });
      await manager.getRepository(BouncingAddress).delete({ address: email });
    }
    await manager.getRepository(Contact).delete({ organisationId });
  }
}
