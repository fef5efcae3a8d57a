import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { EmailsController } from './emails/emails.controller';
import { ImportController } from './import/import.controller';
import { multipartForm } from './import/multipart-form';
import { ReportsController } from './reports/reports.controller';

/**
 * The console's Import, Emails and Reports pages. Their controllers are PortalAppModule's (they use
 * its providers: views, CSRF, config); this module adds the multipart reading of the import's two
 * forms, as route middleware, which runs before the guards, so the CSRF guard finds their `_csrf`.
 */
export const CONSOLE_TOOLS_CONTROLLERS = [ImportController, EmailsController, ReportsController];

@Module({})
export class ConsoleToolsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(multipartForm())
      .forRoutes(
        { path: 'console/import', method: RequestMethod.POST },
        { path: 'console/import/refused', method: RequestMethod.POST },
      );
  }
}
