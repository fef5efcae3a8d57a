import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MAX_JSON_BODY_BYTES } from './body-parsing';

/**
 * The HTTP server under Nest. Express by default (multipart uploads, the most middleware);
 * Fastify where a service answers many small reads and every microsecond per request counts
 * (the directory: about three times the requests per second of Express on the same core).
 */
export type HttpPlatform = 'express' | 'fastify';

export function createNestApp(
  module: DynamicModule,
  platform: HttpPlatform,
  options: { logger?: false; bufferLogs?: boolean; abortOnError?: boolean },
): Promise<INestApplication> {
  return platform === 'fastify'
    ? NestFactory.create(module, new FastifyAdapter({ bodyLimit: MAX_JSON_BODY_BYTES }), options)
    : NestFactory.create(module, options);
}
