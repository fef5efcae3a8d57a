import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@valley/platform';
import { notificationsDatabase } from './database/notifications-database';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { NotificationsConfig } from './notifications.config';

@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsAppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'notifications',
          config,
          database: notificationsDatabase,
          extraProviders: [{ provide: NotificationsConfig, useValue: config }],
        }),
        DeliveriesModule,
      ],
    };
  }
}
