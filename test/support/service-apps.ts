import { INestApplication } from '@nestjs/common';
import { ServiceName } from '@valley/contracts';
import { startTestApp } from '@valley/platform/testing';
import { DirectoryAppModule } from '../../services/directory/src/app.module';
import { DirectoryConfig } from '../../services/directory/src/directory.config';
import { MembershipAppModule } from '../../services/membership/src/app.module';
import { MembershipConfig } from '../../services/membership/src/membership.config';
import { NotificationsAppModule } from '../../services/notifications/src/app.module';
import { NotificationsConfig } from '../../services/notifications/src/notifications.config';
import { ReportingAppModule } from '../../services/reporting/src/app.module';
import { ReportingConfig } from '../../services/reporting/src/reporting.config';

/** Any of the four services, for tests that run them together (e2e). */
export function startService(
  service: ServiceName,
  topicPrefix: string,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  switch (service) {
    case 'membership':
      return startTestApp({
        service,
        configClass: MembershipConfig,
        module: (c) => MembershipAppModule.forRoot(c),
        topicPrefix,
        env,
      });
    case 'directory':
      return startTestApp({
        service,
        configClass: DirectoryConfig,
        module: (c) => DirectoryAppModule.forRoot(c),
        topicPrefix,
        env,
        http: DirectoryAppModule.http,
      });
    case 'notifications':
      return startTestApp({
        service,
        configClass: NotificationsConfig,
        module: (c) => NotificationsAppModule.forRoot(c),
        topicPrefix,
        env,
      });
    case 'reporting':
      return startTestApp({
        service,
        configClass: ReportingConfig,
        module: (c) => ReportingAppModule.forRoot(c),
        topicPrefix,
        env,
      });
  }
}
