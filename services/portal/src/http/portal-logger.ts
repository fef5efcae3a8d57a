import pino, { Logger } from 'pino';
import { Options } from 'pino-http';

/** `/applications/…?token=secret` → `/applications/…?token=[redacted]`: the applicant token never reaches a log. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/** The portal's JSON logger (as the services': pino, ISO times, level labels). */
export function portalLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'portal' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/**
 * Request logs without headers (no cookies, no tokens) and without the token query parameter;
 * health checks and static files are not logged.
 */
export function portalHttpLogging(logger: Logger): Options {
  return {
    logger,
    autoLogging: { ignore: (req) => /^\/(health|static\/)/.test(req.url ?? '') },
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
