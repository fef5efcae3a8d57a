import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TypedEvent } from '@valley/contracts';
import { claimUnprocessed } from '@valley/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { NotificationsConfig } from '../notifications.config';
import { Delivery } from './delivery.entity';

export const NOTIFICATIONS_CONSUMER = 'notifications-planner';

type PlannedDelivery = Pick<Delivery, 'recipient' | 'template' | 'language' | 'templateData'>;

/**
 * Decides which emails an event causes and records them as pending deliveries, in the same
 * transaction as the inbox row. Sending happens afterwards (DeliverySender), so a slow or
 * absent SMTP server never holds up the consumer.
 */
@Injectable()
export class DeliveryPlanner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: NotificationsConfig,
  ) {}

  /** Returns how many deliveries the batch asked for (0: nothing to send). */
  async plan(events: TypedEvent[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: QueryDeepPartialEntity<Delivery>[] = [];
      for (const event of await claimUnprocessed(manager, NOTIFICATIONS_CONSUMER, events)) {
        for (const planned of this.deliveriesFor(event)) {
          rows.push({
            ...planned,
            id: randomUUID(),
            eventId: event.eventId,
            eventType: event.type,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: new Date(),
          });
        }
      }
      if (rows.length === 0) return 0;
      // A delivery already planned (same event, recipient, template) is left as it is.
      await manager.createQueryBuilder().insert().into(Delivery).values(rows).orIgnore().execute();
      return rows.length;
    });
  }

  private deliveriesFor(event: TypedEvent): PlannedDelivery[] {
    switch (event.type) {
      case 'MemberAdmitted': {
        const p = event.payload;
        // Founding members were there from day one: they get no welcome.
        if (p.membershipType === 'founding') return [];
        return [
          {
            recipient: p.contact.email.toLowerCase(),
            template: 'welcome',
            language: p.contact.language,
            templateData: {
              contactName: p.contact.name,
              legalName: p.legalName,
              admittedOn: p.admittedOn,
              focusAreas: p.focusAreas,
              publicListing: p.consent.publicListing,
              coordinatorEmail: this.config.COORDINATOR_EMAIL,
            },
          },
        ];
      }
      default:
        return [];
    }
  }
}
