import { NextFunction, Request, Response } from 'express';
import { PortalCsrf } from '../http';
import { PortalSessions } from './portal-sessions';

/**
 * Before routing, for pages: who is signed in, for the header (Account or Console, and the
 * sign-out button with its CSRF token). The cookie is only opened here; renewal is the guarded
 * pages' business (AreaGuard).
 */
export function sessionContext(sessions: PortalSessions, csrf: PortalCsrf) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/static/') || req.path.startsWith('/health')) return next();
    sessions.read(req).then((session) => {
      if (session) {
        req.headerPerson = {
          kind: session.kind,
          coordinator: session.coordinator,
          label: session.name ?? session.email ?? session.subject,
          signOutCsrf: csrf.token(req, res),
        };
      }
      next();
    }, next);
  };
}
