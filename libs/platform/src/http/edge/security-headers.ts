import { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet): no X-Powered-By, nosniff, a Content-Security-Policy
 * that lets the HTML pages (the API docs, the unsubscribe pages) load only this service's own
 * scripts, and Strict-Transport-Security when HSTS_MAX_AGE_SECONDS is set (behind TLS).
 * Cross-origin reads stay allowed: portal frontends on other origins read these answers (CORS
 * decides which).
 */
export function securityHeaders(
  hstsMaxAgeSeconds: number,
): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Swagger UI sets style attributes from its scripts.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: hstsMaxAgeSeconds > 0 ? { maxAge: hstsMaxAgeSeconds, includeSubDomains: true } : false,
  });
}
