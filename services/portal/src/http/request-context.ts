import { NextFunction, Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Locale, pickLocale } from '../i18n';
import { Visitor } from '../upstream';
import { HeaderPerson, PageContext } from '../views';
import { PortalCookies } from './cookies';

declare module 'express-serve-static-core' {
  interface Request {
    /** The reader's language (Accept-Language, or the remembered switch). */
    locale?: Locale;
    /** Who is signed in, for the header (session/session-context.ts). */
    headerPerson?: HeaderPerson;
  }
}

/**
 * Runs before routing, for every request: the reader's language, and the visitor id cookie that
 * CSRF tokens are bound to (set on the first visit, so that the first form is protected too).
 */
export function requestContext(cookies: PortalCookies) {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.locale = pickLocale(req.headers['accept-language'], req.cookies?.[cookies.language]);
    res.setHeader('Content-Language', req.locale);
    res.vary('Accept-Language');
    res.vary('Cookie');
    if (!/^[0-9a-f]{32}$/.test(req.cookies?.[cookies.visitor] ?? '')) {
      const id = randomBytes(16).toString('hex');
      req.cookies = { ...req.cookies, [cookies.visitor]: id };
      if (!req.path.startsWith('/static/') && !req.path.startsWith('/health')) {
        res.cookie(cookies.visitor, id, cookies.options({ maxAge: 365 * 24 * 3600 * 1000 }));
      }
    }
    next();
  };
}

export function localeOf(req: Request): Locale {
  return req.locale ?? 'lt';
}

/** The visitor whose request the portal passes on: its address as Express sees it (TRUST_PROXY). */
export function visitorOf(req: Request): Visitor {
  return { ip: req.ip };
}

export function pageContext(req: Request, csrfToken?: string): PageContext {
  return { locale: localeOf(req), url: req.originalUrl.split('#')[0], csrfToken, person: req.headerPerson };
}

/** A relative path on this site to come back to (the language switch's `next`), never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}
