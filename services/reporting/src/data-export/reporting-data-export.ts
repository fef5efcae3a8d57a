import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataExportSource } from '@valley/platform';
import { DataSource } from 'typeorm';
import { ApplicationFact, MemberInterval, MemberSpan } from '../facts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Reporting's part of an organisation's data export: the facts the reports count it by (its
 * memberships, the stretches of time its status and reported dimensions held, its applications'
 * dates and outcomes). Reporting keeps no name, address or free text of anyone.
 */
@Injectable()
export class ReportingDataExport implements DataExportSource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async collect(organisationId: string): Promise<Record<string, unknown>> {
    const [memberships, intervals, applications] = await Promise.all([
      this.dataSource.getRepository(MemberSpan).find({ where: { memberId: organisationId }, order: { seq: 'ASC' } }),
      this.dataSource
        .getRepository(MemberInterval)
        .find({ where: { memberId: organisationId }, order: { seq: 'ASC' } }),
      this.dataSource.getRepository(ApplicationFact).find({ where: { organisationId }, order: { submittedAt: 'ASC' } }),
    ]);
    return {
      memberships: memberships.map((m) => ({ ...m, admittedAt: iso(m.admittedAt), endedAt: iso(m.endedAt) })),
      intervals: intervals.map((i) => ({ ...i, validFrom: iso(i.validFrom), validTo: iso(i.validTo) })),
      applications: applications.map((a) => ({ ...a, submittedAt: iso(a.submittedAt), decidedAt: iso(a.decidedAt) })),
    };
  }
}
