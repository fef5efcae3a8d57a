import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@valley/platform';
import { directoryDatabase } from './database/directory-database';
import { DirectoryConfig } from './directory.config';
import { MembersModule } from './members/members.module';

@Module({})
export class DirectoryAppModule {
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
