import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ServiceCoreModule } from '@valley/platform';
import { ApplicationsModule } from './applications/applications.module';
import { membershipDatabase } from './database/membership-database';
import { MembersModule } from './members/members.module';
import { MembershipConfig } from './membership.config';
import { OutboxCleanupService } from './outbox/outbox-cleanup.service';

@Module({})
export class MembershipAppModule {
  static forRoot(config: MembershipConfig): DynamicModule {
    return {
      module: MembershipAppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'membership',
          config,
          database: membershipDatabase,
          extraProviders: [{ provide: MembershipConfig, useValue: config }],
        }),
        ScheduleModule.forRoot(),
        ApplicationsModule,
        MembersModule,
      ],
      providers: [OutboxCleanupService],
    };
  }
}
