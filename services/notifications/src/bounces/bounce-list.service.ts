import { Injectable } from '@nestjs/common';
import { BounceSource, createEvent } from '@valley/contracts';
import { appendToOutbox, OutboxRelay } from '@valley/messaging';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Contact } from '../contacts';
import { BouncingAddress } from './bouncing-address.entity';

export interface Bounce {
  address: string;
  source: BounceSource;
  statusCode: string | null;
  reason: string;
  deliveryId: string | null;
}

/** A bouncing address with the contact that has it, if any: what the coordinator sees. */
export interface BouncingContact extends Omit<BouncingAddress, 'bouncedAt'> {
  bouncedAt: string;
  organisationId: string | null;
  legalName: string | null;
}

/**
 * The addresses that bounced for good. Recorded from the relay's refusals and from bounce reports;
 * asked before every send; forgotten when the contact that had the address changes its email.
 */
@Injectable()
export class BounceList {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Records a bounce (a later one of the same address replaces what is known of it) and
   * announces it, without the address, as NotificationBounced: one commit.
   */
  async record(bounce: Bounce, at = new Date()): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(BouncingAddress)
        .values({ ...bounce, address: bounce.address.toLowerCase(), bouncedAt: at })
        .orUpdate(['source', 'status_code', 'reason', 'delivery_id', 'bounced_at'], ['address'])
        .execute();
      await appendToOutbox(manager, [
        createEvent({
          type: 'NotificationBounced',
          aggregateId: bounce.deliveryId ?? randomUUID(),
          producer: 'notifications',
          occurredAt: at,
          payload: {
            deliveryId: bounce.deliveryId,
            source: bounce.source,
            statusCode: bounce.statusCode,
            bouncedAt: at.toISOString(),
          },
        }),
      ]);
    });
    this.relay.wake();
  }

  find(address: string): Promise<BouncingAddress | null> {
    return this.dataSource.getRepository(BouncingAddress).findOneBy({ address: address.toLowerCase() });
  }

  /**
   * The address our delivery went to, or null if there is no such delivery. By the entity's name:
   * the deliveries feature uses this one, and importing it back would make the two a cycle.
   */
  async recipientOf(deliveryId: string): Promise<string | null> {
    const [row] = await this.dataSource.query(
      `SELECT recipient FROM ${this.dataSource.getMetadata('Delivery').tablePath} WHERE id = $1`,
      [deliveryId],
    );
    return (row?.recipient as string | undefined) ?? null;
  }

  /** The contact's address changed: the old one, if it bounced, no longer matters. In the caller's transaction. */
  async forget(manager: EntityManager, address: string): Promise<void> {
    await manager.getRepository(BouncingAddress).delete({ address: address.toLowerCase() });
  }

  /** Every bouncing address, newest first, with the organisation whose contact has it. */
  async list(): Promise<BouncingContact[]> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .getRepository(BouncingAddress)
      .createQueryBuilder('b')
      .leftJoin(Contact, 'c', 'c.email = b.address')
      .select([
        'b.address AS address',
        'b.source AS source',
        'b.status_code AS "statusCode"',
        'b.reason AS reason',
        'b.delivery_id AS "deliveryId"',
        'b.bounced_at AS "bouncedAt"',
        'c.organisation_id AS "organisationId"',
        'c.legal_name AS "legalName"',
      ])
      .orderBy('b.bounced_at', 'DESC')
      .addOrderBy('b.address')
      .limit(1_000)
      .getRawMany();
    return rows.map((row) => ({ ...row, bouncedAt: (row.bouncedAt as Date).toISOString() }) as BouncingContact);
  }
}
