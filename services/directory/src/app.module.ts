import { DynamicModule, Module } from '@nestjs/common';
import { Subscriptions } from '@valley/contracts';
import { PersonalDataKeysModule } from '@valley/messaging';
import { DataExportModule, HttpPlatform, ServiceCoreModule } from '@valley/platform';
import { directoryDatabase } from './database/directory-database';
import { DirectoryDataExport } from './data-export/directory-data-export';
import { DirectoryConfig } from './directory.config';
import { MembersModule } from './members/members.module';
import { ProjectionModule } from './projection/projection.module';
import { DIRECTORY_RATE_LIMITS } from './rate-limits';
import { SearchModule } from './search/search.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class DirectoryAppModule {
  /** Fastify: the directory answers many small public reads (see HttpPlatform). */
  static readonly http: HttpPlatform = 'fastify';

  static forRoot(config: DirectoryConfig): DynamicModule {
    return {
      module: DirectoryAppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'directory',
          config,
          rateLimits: DIRECTORY_RATE_LIMITS,
          database: directoryDatabase,
          extraProviders: [{ provide: DirectoryConfig, useValue: config }],
        }),
        PersonalDataKeysModule.forService({ subscription: Subscriptions.directoryKeys, configToken: DirectoryConfig }),
        // The write side (events in), the search index, the read side (HTTP out).
        ProjectionModule,
        SearchModule,
        MembersModule,
        WebhooksModule,
        DataExportModule.forService('directory', DirectoryDataExport),
      ],
    };
  }
}
