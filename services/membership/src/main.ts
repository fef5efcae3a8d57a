import './tracing';
import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@valley/platform';
import { MembershipAppModule } from './app.module';
import { MembershipConfig } from './membership.config';

void bootstrapService(
  () => {
    const config = loadConfig(MembershipConfig);
    return { module: MembershipAppModule.forRoot(config), port: config.PORT };
  },
  {
    title: 'Valley membership',
    description: 'Applications, their review and the members of the cluster: the source of truth.',
  },
);
