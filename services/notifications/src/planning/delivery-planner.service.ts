import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ContactLanguage,
  EventContracts,
  RecipientKind,
  sealedFormOf,
  Subscriptions,
  TypedEvent,
} from '@valley/contracts';
import { claimUnprocessed, eventTraceContext, injectTraceContext } from '@valley/messaging';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { BounceList } from '../bounces';
import { Contact, ContactBook } from '../contacts';
import { NotificationsErasure } from '../erasure';
import { NotificationsConfig } from '../notifications.config';
import { TemplateName } from '../templates';
import { Unsubscribe } from '../unsubscribe';
import { TemplateData } from '../common/template-data';
import { ApplicantLink, Delivery, DeliveryCause, SIGN_IN_TEMPLATE, SignInLink } from '../deliveries';

export const NOTIFICATIONS_CONSUMER = Subscriptions.notificationsPlanner.consumer;

interface PlannedDelivery {
  recipient: string;
  recipientKind: RecipientKind;
  template: TemplateName;
  language: ContactLanguage | string;
  templateData: TemplateData;
}

const day = (iso: string) => iso.slice(0, 10);

/** The trace context of the event's handling, kept with its deliveries: their SMTP sends join its trace. */
function plannedInTrace(event: TypedEvent): [traceparent: string | null, tracestate: string | null] {
  const { traceparent = null, tracestate = null } = injectTraceContext(eventTraceContext(event));
  return [traceparent, tracestate];
}

/** The time the cluster lives by, for the people reading the emails: `2026-03-01 11:15`. */
const vilniusTime = new Intl.DateTimeFormat('lt-LT', {
  timeZone: 'Europe/Vilnius',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Decides which emails an event causes and records them as pending deliveries, in the same
 * transaction as the inbox row and the contact changes. Sending happens afterwards
 * (DeliverySender), so a slow or absent SMTP server never holds up the consumer.
 */
@Injectable()
export class DeliveryPlanner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactBook,
    private readonly bounces: BounceList,
    private readonly erasure: NotificationsErasure,
    private readonly config: NotificationsConfig,
    @InjectPinoLogger(DeliveryPlanner.name) private readonly logger: PinoLogger,
  ) {}

  /** Returns how many deliveries the batch asked for (0: nothing to send). */
  async plan(events: TypedEvent[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let planned = 0;
      for (const event of await claimUnprocessed(manager, NOTIFICATIONS_CONSUMER, events)) {
        planned += await this.planEvent(manager, event);
      }
      return planned;
    });
  }

  private async planEvent(manager: EntityManager, event: TypedEvent): Promise<number> {
    switch (event.type) {
      case 'ApplicantAccessIssued': {
        // The acknowledgement email may be waiting for its status link: count it, so the sender wakes.
        await manager
          .getRepository(ApplicantLink)
          .createQueryBuilder()
          .insert()
          .values({
            applicationId: event.payload.applicationId,
            applicantToken: event.payload.applicantToken,
            receivedAt: new Date(),
          })
          .orIgnore()
          .execute();
        return 1;
      }
      case 'MemberSignInLinkIssued':
        return this.planSignIn(manager, event);
      case 'ApplicationSubmitted': {
        const p = event.payload;
        // Its personal data was erased (a replay of an old event): nobody to write to, nothing to keep.
        if (!p.contact) return 0;
        await this.contacts.recordApplicant(manager, event);
        return this.record(manager, event, [
          {
            recipient: p.contact.email.toLowerCase(),
            recipientKind: 'applicant',
            template: 'application-received',
            language: p.contact.language,
            templateData: {
              contactName: p.contact.name,
              legalName: p.legalName,
              applicationId: p.applicationId,
              submittedOn: day(p.submittedAt),
              coordinatorEmail: this.config.COORDINATOR_EMAIL,
            },
          },
          {
            recipient: this.config.COORDINATOR_EMAIL.toLowerCase(),
            recipientKind: 'coordinator',
            template: 'application-review',
            language: this.config.COORDINATOR_LANGUAGE,
            templateData: {
              legalName: p.legalName,
              applicationId: p.applicationId,
              submittedOn: day(p.submittedAt),
              country: p.country,
              region: p.region,
              organisationType: p.organisationType,
              focusAreas: p.focusAreas,
              contactName: p.contact.name,
              reviewUrl: this.config.APPLICATION_REVIEW_URL.replace(':applicationId', p.applicationId),
            },
          },
        ]);
      }
      case 'ApplicationRejected': {
        const contact = await this.contacts.setStatus(manager, event.aggregateId, 'rejected');
        if (!contact) return this.unknown(event);
        return this.record(manager, event, [
          this.toContact(contact, 'applicant', 'application-rejected', {
            applicationId: event.payload.applicationId,
            reason: event.payload.reason,
          }),
        ]);
      }
      case 'MemberAdmitted': {
        const p = event.payload;
        if (!p.contact) return 0;
        await this.contacts.recordMember(manager, event);
        // Founding members were there from day one: no welcome, and nothing to announce.
        if (p.membershipType === 'founding') return 0;
        const welcome = await this.record(manager, event, [
          {
            recipient: p.contact.email.toLowerCase(),
            recipientKind: 'member',
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
        ]);
        return welcome + (await this.planAnnouncement(manager, event, p.contact.email));
      }
      case 'MemberProfileUpdated': {
        const applied = await this.contacts.applyProfileChanges(manager, event);
        if (!applied) return this.unknown(event);
        // A new address gets mail again, even if the old one bounced.
        if (applied.contact.email !== applied.previousEmail) await this.bounces.forget(manager, applied.previousEmail);
        return 0;
      }
      case 'MemberSuspended': {
        const contact = await this.contacts.setStatus(manager, event.aggregateId, 'suspended');
        if (!contact) return this.unknown(event);
        return this.record(manager, event, [
          this.toContact(contact, 'member', 'member-suspended', {
            reason: event.payload.reason,
            suspendedOn: day(event.payload.suspendedAt),
          }),
        ]);
      }
      case 'MemberReinstated':
        if (!(await this.contacts.setStatus(manager, event.aggregateId, 'active'))) this.unknown(event);
        return 0;
      case 'MembershipEnded': {
        const contact = await this.contacts.setStatus(manager, event.aggregateId, 'ended');
        if (!contact) return this.unknown(event);
        return this.record(manager, event, [
          this.toContact(contact, 'member', 'membership-ended', {
            reason: event.payload.reason,
            endedOn: event.payload.endedOn,
          }),
        ]);
      }
      case 'PersonalDataErased':
        await this.erasure.forget(manager, event.payload.organisationId);
        return 0;
      case 'WebhookSubscriptionPaused': {
        const p = event.payload;
        return this.record(manager, event, [
          {
            recipient: this.config.COORDINATOR_EMAIL.toLowerCase(),
            recipientKind: 'coordinator',
            template: 'webhook-paused',
            language: this.config.COORDINATOR_LANGUAGE,
            templateData: {
              subscriptionId: p.subscriptionId,
              url: p.url,
              description: p.description,
              failures: p.failures,
              reason: p.reason,
              pausedAt: `${p.pausedAt.slice(0, 16).replace('T', ' ')} UTC`,
            },
          },
        ]);
      }
      default:
        return 0;
    }
  }

  /**
   * The sign-in link email: a delivery whose template data holds no token (the log, the deliveries
   * API and the outcome events show that data, and the log is kept), and the token in
   * `sign_in_links` next to it, for the sender to render and to delete with the outcome. The cause
   * is kept with its token erased (it goes to the dead-letter topic if the email fails for good).
   */
  private async planSignIn(manager: EntityManager, event: TypedEvent<'MemberSignInLinkIssued'>): Promise<number> {
    const p = event.payload;
    const recipient = p.email.toLowerCase();
    const contact = await this.contacts.find(manager, p.memberId);
    const expiresAt = new Date(p.expiresAt);
    const validityMinutes = Math.max(
      1,
      Math.round((expiresAt.getTime() - new Date(event.occurredAt).getTime()) / 60_000),
    );
    await this.recordCause(manager, event, {
      ...event,
      payload: { ...p, signInToken: '(erased: notifications keeps it apart from the delivery log)' },
    });
    const [deliveryId] = await this.insertDeliveries(manager, event, [
      {
        recipient,
        recipientKind: 'member',
        template: SIGN_IN_TEMPLATE,
        language: p.language,
        templateData: {
          // The contact's name only if the address is the one known for it (a change may be on its way).
          contactName: contact && contact.email === recipient ? contact.contactName : null,
          legalName: contact?.legalName ?? null,
          requestedAt: event.occurredAt,
          requestedAtLocal: vilniusTime.format(new Date(event.occurredAt)),
          expiresAt: p.expiresAt,
          expiresAtLocal: vilniusTime.format(expiresAt),
          validityMinutes,
          coordinatorEmail: this.config.COORDINATOR_EMAIL,
        },
      },
    ]);
    // Planned already (a redelivery the inbox no longer knew): that delivery has, or had, the token.
    if (!deliveryId) return 0;
    await manager.getRepository(SignInLink).insert({ deliveryId, signInToken: p.signInToken, expiresAt });
    return 1;
  }

  /**
   * One announcement per other active member whose contact consented and did not unsubscribe,
   * planned with one INSERT ... SELECT however many members there are.
   */
  private async planAnnouncement(
    manager: EntityManager,
    event: TypedEvent<'MemberAdmitted'>,
    newcomerEmail: string,
  ): Promise<number> {
    const p = event.payload;
    const shared: TemplateData = {
      legalName: p.legalName,
      admittedOn: p.admittedOn,
      region: p.region,
      organisationType: p.organisationType,
      focusAreas: p.focusAreas,
      sectorCodes: p.sectorCodes,
      statement: p.statement ?? null,
      website: p.website ?? null,
      coordinatorEmail: this.config.COORDINATOR_EMAIL,
    };
    const deliveries = manager.getRepository(Delivery).metadata.tablePath;
    const contacts = manager.getRepository(Contact).metadata.tablePath;
    const unsubscribes = manager.getRepository(Unsubscribe).metadata.tablePath;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${deliveries}
         (id, event_id, event_type, recipient, recipient_kind, template, language, template_data,
          status, attempts, next_attempt_at, created_at, traceparent, tracestate)
       SELECT gen_random_uuid(), $1, $2, c.email, 'member', 'announcement', c.language,
              $3::jsonb || jsonb_build_object('contactName', c.contact_name), 'pending', 0, now(), clock_timestamp(),
              $6, $7
       FROM ${contacts} c
       WHERE c.status = 'active' AND c.announcements AND c.organisation_id <> $4 AND c.email <> $5
         AND NOT EXISTS (SELECT 1 FROM ${unsubscribes} u WHERE u.email = c.email)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        event.eventId,
        event.type,
        JSON.stringify(shared),
        event.aggregateId,
        newcomerEmail.toLowerCase(),
        ...plannedInTrace(event),
      ],
    );
    if (inserted.length > 0) await this.recordCause(manager, event);
    return inserted.length;
  }

  private toContact(
    contact: Contact,
    recipientKind: RecipientKind,
    template: TemplateName,
    data: TemplateData,
  ): PlannedDelivery {
    return {
      recipient: contact.email,
      recipientKind,
      template,
      language: contact.language,
      templateData: {
        contactName: contact.contactName,
        legalName: contact.legalName,
        coordinatorEmail: this.config.COORDINATOR_EMAIL,
        ...data,
      },
    };
  }

  private async record(manager: EntityManager, event: TypedEvent, planned: PlannedDelivery[]): Promise<number> {
    if (planned.length === 0) return 0;
    await this.recordCause(manager, event);
    await this.insertDeliveries(manager, event, planned);
    return planned.length;
  }

  /** Inserts the pending rows; returns the ids of those inserted (not of those planned already). */
  private async insertDeliveries(
    manager: EntityManager,
    event: TypedEvent,
    planned: PlannedDelivery[],
  ): Promise<string[]> {
    const [traceparent, tracestate] = plannedInTrace(event);
    const rows: QueryDeepPartialEntity<Delivery>[] = planned.map((delivery) => ({
      ...delivery,
      traceparent,
      tracestate,
      id: randomUUID(),
      eventId: event.eventId,
      eventType: event.type,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: () => 'now()',
      // Not now(): a batch is one transaction, and the log lists emails in the order they were planned.
      createdAt: () => 'clock_timestamp()',
    }));
    // A delivery already planned (same event, recipient, template) is left as it is.
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Delivery)
      .values(rows)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /** The cause as received, or `stored` (the event with its secrets erased). */
  private async recordCause(manager: EntityManager, event: TypedEvent, stored: TypedEvent = event): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(DeliveryCause)
      .values({
        eventId: event.eventId,
        eventType: event.type,
        topic: EventContracts[event.type].topic,
        messageKey: event.aggregateId,
        correlationId: event.correlationId,
        // Sealed as it travelled: a dead letter of it carries no readable personal data either.
        envelope: JSON.stringify(sealedFormOf(stored)),
        receivedAt: () => 'now()',
      })
      .orIgnore()
      .execute();
  }

  private unknown(event: TypedEvent): number {
    this.logger.warn(
      { eventId: event.eventId, type: event.type, organisationId: event.aggregateId },
      'no contact known for this organisation; nothing to send',
    );
    return 0;
  }
}
