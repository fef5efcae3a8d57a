import './tracing';
import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@valley/platform';
import { NotificationsAppModule } from './app.module';
import { NotificationsConfig } from './notifications.config';

void bootstrapService(
  () => {
    const config = loadConfig(NotificationsConfig);
    return { module: NotificationsAppModule.forRoot(config), port: config.PORT };
  },
  {
    title: 'Valley notifications',
    description: 'Emails on lifecycle events: templates in Lithuanian and English, a delivery log, retries.',
  },
);
