import './tracing';
import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@valley/platform';
import { ReportingAppModule } from './app.module';
import { ReportingConfig } from './reporting.config';

void bootstrapService(
  () => {
    const config = loadConfig(ReportingConfig);
    return { module: ReportingAppModule.forRoot(config), port: config.PORT };
  },
  {
    title: 'Valley reporting',
    description: 'Analytics built from the event streams: growth, composition, funnel, deliveries.',
  },
);
