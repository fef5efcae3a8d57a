import { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { RouteMethods } from './route-methods';

/** Request headers a portal frontend may send (conditional requests, tokens). */
export const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Authorization',
  'If-None-Match',
  'If-Match',
  'X-Applicant-Token',
  'X-Request-Id',
];

/** Answer headers a frontend may read. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Content-Disposition',
];

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Cross-origin requests from the allowed origins (CORS_ORIGINS). A preflight is answered with the
 * methods the path really has (from the service's OpenAPI document) and the headers above; every
 * answer varies by Origin, so that caches keep one per origin. Other origins get no CORS headers.
 */
export function corsMiddleware(origins: readonly string[], routes: RouteMethods): Middleware {
  const allowed = new Set(origins);
  return cors((request, callback) =>
    callback(null, {
      origin: [...allowed],
      methods: routes.of(request.url ?? '/'),
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
      optionsSuccessStatus: 204,
    }),
  ) as Middleware;
}
