import { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ServiceConfig } from '../config/service-config';
import { configureBodyParsing } from './body-parsing';
import { corsMiddleware } from './edge/cors';
import { refuseUnreadableBodies } from './edge/media-types';
import { describeRateLimits, RateLimits } from './edge/rate-limits';
import { RouteMethods } from './edge/route-methods';
import { securityHeaders } from './edge/security-headers';
import { applyServerTimeouts } from './edge/server-timeouts';
import { ServiceErrorFilter } from './service-error.filter';
import { describeTextRules } from './text-rules';
import { createValidationPipe } from './validation';

export interface AppDescription {
  title: string;
  description: string;
}

/**
 * Everything an HTTP app of a Valley service gets, in production and in tests alike, on either
 * adapter: bounded bodies, security headers, CORS for the allowed origins, per-client rate
 * limits, validation, no 5xx for anything but a fault of ours or of the infrastructure, server
 * timeouts that never reset a keep-alive connection in use, and the OpenAPI document at /docs.
 * The edge (headers, CORS, limits) runs before any route or middleware of the service.
 */
export function configureApp(app: INestApplication, description: AppDescription): INestApplication {
  const config = app.get(ServiceConfig);
  app.useLogger(app.get(Logger));
  if (app.getHttpAdapter().getType() === 'express') {
    (app as NestExpressApplication).disable('x-powered-by');
  }
  configureBodyParsing(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(description.title)
      .setDescription(description.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  const rateLimits = app.get(RateLimits);
  describeTextRules(document);
  describeRateLimits(document as never, rateLimits.active);
  app.use(securityHeaders(config.HSTS_MAX_AGE_SECONDS));
  app.use(corsMiddleware(config.CORS_ORIGINS, new RouteMethods(document.paths as never)));
  app.use(rateLimits.middleware());
  app.use(refuseUnreadableBodies());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ServiceErrorFilter(app.getHttpAdapter()));
  applyServerTimeouts(app.getHttpServer() as Server, config.HTTP_KEEP_ALIVE_TIMEOUT_MS);
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
