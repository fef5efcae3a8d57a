import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { MAX_JSON_BODY_BYTES } from './http-platform';
import { createValidationPipe } from './validation';

export interface AppDescription {
  title: string;
  description: string;
}

/** Everything an HTTP app of a Valley service gets, in production and in tests alike. */
export function configureApp(app: INestApplication, description: AppDescription): INestApplication {
  app.useLogger(app.get(Logger));
  // Fastify takes its body limit when the adapter is created (see createNestApp).
  if (app.getHttpAdapter().getType() === 'express') {
    (app as NestExpressApplication).useBodyParser('json', { limit: MAX_JSON_BODY_BYTES });
  }
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(description.title)
      .setDescription(description.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
