import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataExportSource } from '@valley/platform';
import { DataSource } from 'typeorm';
import { DirectoryEntry } from '../projection';

/**
 * The directory's part of an organisation's data export: its entry as the directory keeps it
 * (every field, the ones only members or nobody may see included, with the visibility chosen for
 * each), and whether it is listed. The search index holds nothing else.
 */
@Injectable()
export class DirectoryDataExport implements DataExportSource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async collect(organisationId: string): Promise<Record<string, unknown>> {
    const entry = await this.dataSource.getRepository(DirectoryEntry).findOneBy({ memberId: organisationId });
    if (!entry) return { entry: null };
    const { changedXid: _internal, lastEventAt, ...fields } = entry;
    return { entry: { ...fields, lastEventAt: lastEventAt.toISOString() } };
  }
}
