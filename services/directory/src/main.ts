import './tracing';
import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@valley/platform';
import { DirectoryAppModule } from './app.module';
import { DirectoryConfig } from './directory.config';

void bootstrapService(
  () => {
    const config = loadConfig(DirectoryConfig);
    return { module: DirectoryAppModule.forRoot(config), port: config.PORT, workers: config.WORKERS };
  },
  {
    title: 'Valley directory',
    description: 'The public member directory that portal frontends search; a read model of membership events.',
  },
  DirectoryAppModule.http,
);
