import { Injectable } from '@nestjs/common';
import { ContactPayload, ConsentPayload, TypedEvent } from '@valley/contracts';
import { EntityManager } from 'typeorm';
import { Contact, ContactStatus } from './contact.entity';

/**
 * Keeps notifications' own list of contacts and their consent, from the lifecycle events.
 * Every method runs inside the consumer's batch transaction.
 */
@Injectable()
export class ContactBook {
  /** An applicant's contact; an organisation that is (or was) a member keeps its member status. */
  async recordApplicant(manager: EntityManager, event: TypedEvent<'ApplicationSubmitted'>): Promise<void> {
    const p = event.payload;
    if (!p.contact) return; // erased
    await this.upsert(manager, event.aggregateId, p.legalName, p.contact, p.consent, 'applicant', [
      'applicant',
      'rejected',
      'ended',
    ]);
  }

  async recordMember(manager: EntityManager, event: TypedEvent<'MemberAdmitted'>): Promise<void> {
    const p = event.payload;
    if (!p.contact) return; // erased
    await this.upsert(manager, event.aggregateId, p.legalName, p.contact, p.consent, 'active', null);
  }

  /**
   * Applies contact, consent and name changes; returns the contact and the email it had before,
   * or null if unknown.
   */
  async applyProfileChanges(
    manager: EntityManager,
    event: TypedEvent<'MemberProfileUpdated'>,
  ): Promise<{ contact: Contact; previousEmail: string } | null> {
    const contact = await this.find(manager, event.aggregateId);
    if (!contact) return null;
    const previousEmail = contact.email;
    const { changes } = event.payload;
    if (changes.legalName) contact.legalName = changes.legalName;
    if (changes.contact) {
      contact.contactName = changes.contact.name;
      contact.email = changes.contact.email.toLowerCase();
      contact.language = changes.contact.language;
    }
    if (changes.consent) contact.announcements = changes.consent.announcements;
    contact.updatedAt = new Date();
    await manager.getRepository(Contact).save(contact);
    return { contact, previousEmail };
  }

  /** Sets the status and returns the contact, or null if this organisation is unknown here. */
  async setStatus(manager: EntityManager, organisationId: string, status: ContactStatus): Promise<Contact | null> {
    const contact = await this.find(manager, organisationId);
    if (!contact) return null;
    await manager.getRepository(Contact).update({ organisationId }, { status, updatedAt: new Date() });
    return { ...contact, status };
  }

  find(manager: EntityManager, organisationId: string): Promise<Contact | null> {
    return manager.getRepository(Contact).findOne({ where: { organisationId }, lock: { mode: 'pessimistic_write' } });
  }

  private async upsert(
    manager: EntityManager,
    organisationId: string,
    legalName: string,
    contact: ContactPayload,
    consent: ConsentPayload,
    status: ContactStatus,
    /** Only these current statuses may be replaced by `status` (null: any). */
    replaceable: ContactStatus[] | null,
  ): Promise<void> {
    const table = manager.getRepository(Contact).metadata.tablePath;
    await manager.query(
      `INSERT INTO ${table} AS c
         (organisation_id, legal_name, contact_name, email, language, announcements, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (organisation_id) DO UPDATE SET
         legal_name = EXCLUDED.legal_name, contact_name = EXCLUDED.contact_name, email = EXCLUDED.email,
         language = EXCLUDED.language, announcements = EXCLUDED.announcements, updated_at = now(),
         status = CASE WHEN $8::text[] IS NULL OR c.status = ANY($8::text[]) THEN EXCLUDED.status ELSE c.status END`,
      [
        organisationId,
        legalName,
        contact.name,
        contact.email.toLowerCase(),
        contact.language,
        consent.announcements,
        status,
        replaceable,
      ],
    );
  }
}
