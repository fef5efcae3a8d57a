import { createEvent } from '@valley/contracts';
import { appendToOutbox } from '@valley/messaging';
import { DataSource } from 'typeorm';
import { memberAdmittedPayload } from '../applications/applications.service';
import { recordHistory } from '../history/history';
import { Member } from '../members/member.entity';
import { CLUSTER_FOUNDED_ON, FOUNDING_MEMBERS } from './founding-members';

/**
 * Creates the founding members that do not exist yet, each with its MemberAdmitted event
 * in the outbox (the running relay publishes them). Running it again changes nothing.
 * Returns the names of the members it created.
 */
export async function seedFoundingMembers(dataSource: DataSource): Promise<string[]> {
  return dataSource.transaction(async (manager) => {
    const created: string[] = [];
    for (const founder of FOUNDING_MEMBERS) {
      const member = manager.getRepository(Member).create({
        ...founder,
        applicationId: null,
        statement: null,
        logoUrl: null,
        statusReason: null,
        endedOn: null,
        membershipType: 'founding',
        status: 'active',
        admittedOn: CLUSTER_FOUNDED_ON,
      });
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Member)
        .values(member)
        .orIgnore()
        .returning(['id'])
        .execute();
      if (inserted.raw.length === 0) continue;
      const foundedAt = new Date(`${CLUSTER_FOUNDED_ON}T09:00:00Z`);
      await recordHistory(manager, [
        {
          subject: 'member',
          subjectId: member.id,
          action: 'founded',
          toStatus: 'active',
          actor: 'system',
          reason: 'founding partner of the cluster',
          at: foundedAt,
        },
      ]);
      await appendToOutbox(manager, [
        createEvent({
          type: 'MemberAdmitted',
          producer: 'membership',
          aggregateId: member.id,
          occurredAt: foundedAt,
          payload: memberAdmittedPayload(member),
        }),
      ]);
      created.push(member.legalName);
    }
    return created;
  });
}
