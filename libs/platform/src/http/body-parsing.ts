import { BadRequestException, INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from './json-depth';

/** Largest request body a service accepts (413 beyond it). */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

function tooDeep(): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`,
  });
}

/**
 * JSON bodies on either HTTP adapter: at most MAX_JSON_BODY_BYTES (413), nested at most
 * MAX_JSON_DEPTH levels (400, checked on the bytes before parsing: a deep body would overflow the
 * stack of everything that walks it after parsing).
 */
export function configureBodyParsing(app: INestApplication): void {
  if (app.getHttpAdapter().getType() === 'express') {
    (app as NestExpressApplication).useBodyParser('json', {
      limit: MAX_JSON_BODY_BYTES,
      verify: (_req: unknown, _res: unknown, body: Buffer) => {
        if (jsonNestedDeeperThan(body)) throw tooDeep();
      },
    });
    return;
  }
  const fastify = app as NestFastifyApplication;
  // As express's parser: `__proto__` and `constructor` stay plain keys (JSON.parse makes them own
  // properties, no prototype is touched), for the validation pipe to refuse naming the field
  // (findPrototypeKeys). Fastify's 'error' would answer a 400 that names nothing.
  const parseJson = fastify.getHttpAdapter().getInstance().getDefaultJsonParser('ignore', 'ignore');
  fastify.useBodyParser('application/json', { bodyLimit: MAX_JSON_BODY_BYTES }, (request, body, done) => {
    if (jsonNestedDeeperThan(body)) return done(tooDeep(), undefined);
    parseJson(request as never, body.toString('utf8'), done);
  });
}
