import { DynamicModule, Module } from '@nestjs/common';
import { DataExportModule, ServiceCoreModule } from '@valley/platform';
import { reportingDatabase } from './database/reporting-database';
import { ReportingDataExport } from './data-export/reporting-data-export';
import { FactsModule } from './facts';
import { ReportsModule } from './reports/reports.module';
import { ReportingConfig } from './reporting.config';

@Module({})
export class ReportingAppModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: ReportingAppModule,
      imports: [
        ServiceCoreModule.forRoot({ service: 'reporting', config, database: reportingDatabase }),
        FactsModule,
        ReportsModule,
        DataExportModule.forService('reporting', ReportingDataExport),
      ],
    };
  }
}
