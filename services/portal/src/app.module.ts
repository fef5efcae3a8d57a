import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { HttpRouteInterceptor, TracingLifecycle } from '@valley/platform';
import { LoggerModule } from 'nestjs-pino';
import { AccountController } from './account/account.controller';
import { DataExportController } from './data-export/data-export.controller';
import { ApplicationsController } from './applications/applications.controller';
import { ApplyController } from './apply/apply.controller';
import { ConsoleController } from './console/console.controller';
import { CONSOLE_TOOLS_CONTROLLERS, ConsoleToolsModule } from './console/console-tools.module';
import { ConsoleMembersController } from './console/members/members.controller';
import { ConsoleReviewController } from './console/review/review.controller';
import { Cluster } from './content/cluster-content';
import { DirectoryController } from './directory/directory.controller';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { PortalCookies } from './http/cookies';
import { CsrfGuard, PortalCsrf } from './http/csrf';
import { PageExceptionFilter } from './http/page-exception.filter';
import { portalHttpLogging, portalLogger } from './http/portal-logger';
import { Messages } from './i18n/messages';
import { LanguageController } from './language/language.controller';
import { PortalConfig, sessionSecret } from './portal.config';
import { AreaGuard, CoordinatorOidc, PortalSessions, SessionSealer } from './session';
import { SignInController } from './sign-in/sign-in.controller';
import { ServiceApis } from './upstream/service-apis';
import { ViewRenderer } from './views/view-renderer';

/**
 * The portal: pages for people over the four services' HTTP APIs. No database, no Kafka: none
 * of ServiceCoreModule's TypeORM and messaging, only its kind of logging and health.
 */
@Module({})
export class PortalAppModule {
  static forRoot(config: PortalConfig, cookies: PortalCookies): DynamicModule {
    const messages = Messages.load();
    const cluster = Cluster.load();
    return {
      module: PortalAppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: portalHttpLogging(portalLogger(config.LOG_LEVEL)) }),
        ConsoleToolsModule,
      ],
      controllers: [
        HomeController,
        DirectoryController,
        ApplyController,
        ApplicationsController,
        LanguageController,
        SignInController,
        AccountController,
        DataExportController,
        ConsoleController,
        ...CONSOLE_TOOLS_CONTROLLERS,
        ConsoleReviewController,
        ConsoleMembersController,
        HealthController,
      ],
      providers: [
        { provide: PortalConfig, useValue: config },
        { provide: PortalCookies, useValue: cookies },
        { provide: PortalCsrf, useValue: new PortalCsrf(config.PORTAL_COOKIE_SECRET, cookies) },
        { provide: Messages, useValue: messages },
        { provide: Cluster, useValue: cluster },
        { provide: ViewRenderer, useValue: new ViewRenderer(messages, cluster) },
        ServiceApis,
        { provide: SessionSealer, useValue: new SessionSealer(sessionSecret(config)) },
        { provide: CoordinatorOidc, useValue: new CoordinatorOidc(config) },
        PortalSessions,
        // In this order: a forged post is refused before any session is looked at.
        { provide: APP_GUARD, useClass: CsrfGuard },
        { provide: APP_GUARD, useClass: AreaGuard },
        { provide: APP_FILTER, useClass: PageExceptionFilter },
        // Traces (when on): spans named after their route, and what is buffered exported at shutdown.
        { provide: APP_INTERCEPTOR, useClass: HttpRouteInterceptor },
        TracingLifecycle,
      ],
    };
  }
}
