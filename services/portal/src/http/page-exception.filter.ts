import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { AreaRefused, OidcUnavailable, SignInRequired, signInNext } from '../session';
import { BearerRefused, UpstreamUnavailable } from '../upstream';
import { ViewRenderer } from '../views';
import { PortalCookies } from './cookies';
import { CsrfRefused } from './csrf';
import { pageContext } from './request-context';

/**
 * Every error as a page in the reader's language: 404 (no such page, a member not listed),
 * 403 for a form whose CSRF token did not match (it expired: go back and send it again), 503
 * naming the service that did not answer, 500 for anything else (logged).
 */
@Catch()
@Injectable()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('portal');

  constructor(
    private readonly views: ViewRenderer,
    private readonly cookies: PortalCookies,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof SignInRequired || exception instanceof BearerRefused) {
      // To sign in, and back here afterwards. A token a service refused: that session is over.
      if (res.headersSent) return;
      const ended = exception instanceof BearerRefused || exception.ended;
      if (ended) res.clearCookie(this.cookies.session, this.cookies.options());
      const next = exception instanceof SignInRequired ? exception.next : (signInNext(req.originalUrl) ?? '/');
      res.redirect(303, `/sign-in?next=${encodeURIComponent(next)}${ended ? '&ended=1' : ''}`);
      return;
    }
    let status = 500;
    let page = 'error';
    let model: Record<string, unknown> = { titleKey: 'errors.server.title', textKey: 'errors.server.text' };
    if (exception instanceof CsrfRefused) {
      status = 403;
      model = { titleKey: 'errors.csrf.title', textKey: 'errors.csrf.text' };
    } else if (exception instanceof AreaRefused) {
      status = 403;
      page = 'area-refused';
      model = {
        titleKey: `area.${exception.reason}.title`,
        textKey: `area.${exception.reason}.text`,
        membersOnly: exception.reason === 'membersOnly',
      };
    } else if (exception instanceof OidcUnavailable) {
      status = 503;
      model = { titleKey: 'errors.unavailable.title', textKey: 'unavailable.identity' };
    } else if (exception instanceof UpstreamUnavailable) {
      status = 503;
      model = { titleKey: 'errors.unavailable.title', textKey: `unavailable.${exception.service}` };
    } else if (exception instanceof HttpException && exception.getStatus() === 404) {
      status = 404;
      page = 'not-found';
      model = {};
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = exception.getStatus();
      model = { titleKey: 'errors.request.title', textKey: 'errors.request.text' };
    }
    if (exception instanceof UpstreamUnavailable || exception instanceof OidcUnavailable)
      this.logger.warn(exception.message);
    else if (status >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : exception);
    if (res.headersSent) return;
    res
      .status(status)
      .type('html')
      .send(this.views.render(page, pageContext(req), model));
  }
}
