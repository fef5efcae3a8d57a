import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataExportSource } from '@valley/platform';
import { DataSource } from 'typeorm';
import { Application, toApplicationView } from '../applications';
import { historyOf, toHistoryView } from '../history';
import { Member, toMemberView } from '../members';
import { sessionsOf } from '../sign-in';

/**
 * Membership's part of an organisation's data export: its member record (profile, contact,
 * consent, visibility, status), every application it made, the history of both (who did what,
 * when, why), and its sign-in sessions. Applicant and refresh token hashes are left out.
 */
@Injectable()
export class MembershipDataExport implements DataExportSource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async collect(organisationId: string): Promise<Record<string, unknown>> {
    const manager = this.dataSource.manager;
    const [member, applications, sessions] = await Promise.all([
      manager.getRepository(Member).findOneBy({ id: organisationId }),
      manager.getRepository(Application).find({ where: { organisationId }, order: { submittedAt: 'ASC' } }),
      sessionsOf(manager, organisationId),
    ]);
    const histories = await Promise.all(
      [organisationId, ...applications.map((a) => a.id)].map((id) => historyOf(manager, id)),
    );
    return {
      member: member ? toMemberView(member) : null,
      applications: applications.map(toApplicationView),
      history: histories.flat().map((entry) => ({ subjectId: entry.subjectId, ...toHistoryView(entry) })),
      sessions,
    };
  }
}
