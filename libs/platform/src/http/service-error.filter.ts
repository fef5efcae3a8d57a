import { ArgumentsHost, Catch, HttpException, HttpServer, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { classifyFailure, errorMessage } from '@valley/messaging';

/** Seconds a client is told to wait before trying again while the database or broker is away. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The last word on an error no module's own filter answered. HTTP errors keep their status. A
 * failure of the infrastructure (the database or the broker away, a deadlock; see
 * classifyFailure) is a 503 with Retry-After that says what to do, not a 500: nothing about the
 * request was wrong, and nothing was changed. Anything else is a fault of ours: a 500, logged.
 */
@Catch()
export class ServiceErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(adapter: HttpServer) {
    super(adapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof HttpException) && classifyFailure(exception) === 'infrastructure') {
      this.logger.warn(`answered 503, infrastructure failure: ${errorMessage(exception)}`);
      const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef!;
      const response = host.switchToHttp().getResponse();
      adapter.setHeader(response, 'Retry-After', String(RETRY_AFTER_SECONDS));
      adapter.reply(
        response,
        {
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: `the service cannot reach its database or broker right now; nothing was changed, try again in ${RETRY_AFTER_SECONDS} s`,
        },
        503,
      );
      return;
    }
    super.catch(exception, host);
  }
}
