import { DynamicModule, Module } from '@nestjs/common';
import { HttpPlatform, ServiceCoreModule } from '@valley/platform';
import { directoryDatabase } from './database/directory-database';
import { DirectoryConfig } from './directory.config';
import { MembersModule } from './members/members.module';

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
          database: directoryDatabase,
          extraProviders: [{ provide: DirectoryConfig, useValue: config }],
        }),
        MembersModule,
      ],
    };
  }
}
