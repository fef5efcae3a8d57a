import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TypedEvent } from '@valley/contracts';
import { claimUnprocessed } from '@valley/messaging';
import { DataSource } from 'typeorm';
import { MemberTimeline } from './member-timeline.entity';

export const REPORTING_CONSUMER = 'reporting-membership';

/** Records membership facts from events, and answers counts from them. */
@Injectable()
export class MembershipFacts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async apply(events: TypedEvent[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const admissions: MemberTimeline[] = [];
      for (const event of await claimUnprocessed(manager, REPORTING_CONSUMER, events)) {
        if (event.type === 'MemberAdmitted') {
          admissions.push({
            memberId: event.payload.memberId,
            membershipType: event.payload.membershipType,
            admittedOn: event.payload.admittedOn,
            leftOn: null,
          });
        }
      }
      if (admissions.length > 0) {
        await manager.createQueryBuilder().insert().into(MemberTimeline).values(admissions).orIgnore().execute();
      }
    });
  }

  /** Members on the given day: admitted on or before it, not left by it. */
  async memberCount(asOf: string): Promise<number> {
    const [{ count }] = await this.dataSource
      .getRepository(MemberTimeline)
      .createQueryBuilder('m')
      .select('count(*)::int', 'count')
      .where('m.admitted_on <= :asOf', { asOf })
      .andWhere('(m.left_on IS NULL OR m.left_on > :asOf)', { asOf })
      .getRawMany();
    return count;
  }
}
