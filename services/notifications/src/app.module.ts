import { DynamicModule, Module } from '@nestjs/common';
import { Subscriptions } from '@valley/contracts';
import { PersonalDataKeysModule } from '@valley/messaging';
import { DataExportModule, ServiceCoreModule } from '@valley/platform';
import { notificationsDatabase } from './database/notifications-database';
import { NotificationsDataExport } from './data-export/notifications-data-export';
import { DeliveriesModule } from './deliveries';
import { PlanningModule } from './planning';
import { NotificationsConfig } from './notifications.config';
import { NOTIFICATIONS_RATE_LIMITS } from './rate-limits';

@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsAppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'notifications',
          config,
          rateLimits: NOTIFICATIONS_RATE_LIMITS,
          database: notificationsDatabase,
          extraProviders: [{ provide: NotificationsConfig, useValue: config }],
        }),
        PersonalDataKeysModule.forService({
          subscription: Subscriptions.notificationsKeys,
          configToken: NotificationsConfig,
        }),
        DeliveriesModule,
        PlanningModule,
        DataExportModule.forService('notifications', NotificationsDataExport),
      ],
    };
  }
}
