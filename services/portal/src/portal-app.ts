import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { PortalAppModule } from './app.module';
import { PortalCookies } from './http/cookies';
import { PortalCsrf } from './http/csrf';
import { requestContext } from './http/request-context';
import { PortalConfig, secureCookies } from './portal.config';
import { PortalSessions, sessionContext } from './session';
import { PUBLIC_DIR } from './views/view-renderer';

/** Largest form post the portal reads (the application form with every field full is about 25 kB). */
export const MAX_FORM_BYTES = 100 * 1024;

/**
 * The portal's Nest app, set up as it runs in production and in tests alike (not listening yet):
 * security headers (a Content-Security-Policy without inline scripts or styles), cookies, form
 * bodies, static files, the reader's language.
 */
export async function createPortalApp(
  config: PortalConfig,
  options: { logger?: false } = {},
): Promise<NestExpressApplication> {
  const secure = secureCookies(process.env.NODE_ENV);
  const cookies = new PortalCookies(secure);
  const app = await NestFactory.create<NestExpressApplication>(PortalAppModule.forRoot(config, cookies), {
    bodyParser: false,
    ...(options.logger === false ? { logger: false } : { bufferLogs: true }),
    abortOnError: false,
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Pages are never cached (no-store below): no ETag, whose hash of every page costs time.
  app.set('etag', false);
  app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'https:', 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          // The sign-in and sign-out forms end at the coordinators' provider (a redirect after the post).
          formAction: ["'self'", new URL(config.OIDC_ISSUER_URL).origin],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          // No upgrade-insecure-requests: HSTS does that over https, and on http://localhost (compose) it would break the page.
        },
      },
      // The applicant's link carries its token until the first redirect: no page sends a Referer.
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: secure,
    }),
  );
  app.use(cookieParser());
  app.useBodyParser('urlencoded', { extended: false, limit: MAX_FORM_BYTES, parameterLimit: 200 });
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/static/', maxAge: '365d', immutable: true, index: false });
  app.use(requestContext(cookies));
  app.use(sessionContext(app.get(PortalSessions), app.get(PortalCsrf)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Pages are per reader (language, forms with their tokens, an applicant's status): never cached.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.enableShutdownHooks();
  return app;
}

/** TRUST_PROXY as Express takes it: nothing, a hop count, or addresses, CIDRs and presets. */
export function trustProxy(value: string): boolean | number | string[] {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
