import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@valley/platform';
import { ApplicationsModule } from './applications/applications.module';
import { membershipDatabase } from './database/membership-database';
import { MembershipConfig } from './membership.config';

@Module({})
export class MembershipAppModule {
  static forRoot(config: MembershipConfig): DynamicModule {
    return {
      module: MembershipAppModule,
      imports: [
        ServiceCoreModule.forRoot({ service: 'membership', config, database: membershipDatabase }),
        ApplicationsModule,
      ],
    };
  }
}
