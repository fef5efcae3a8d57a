import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Type } from '@nestjs/common';

/** What Express's response and Fastify's reply both offer (a filter works under either). */
interface HttpReply {
  status(code: number): HttpReply;
  header(name: string, value: string): HttpReply;
  send(body: unknown): unknown;
}

/** A module's exception: one code from its enum, and, for a 4xx about the request, the field at fault. */
export interface CodedError extends Error {
  readonly code: string;
  readonly field?: string;
  /** For a 429 or 503: answered as Retry-After. */
  readonly retryAfterSeconds?: number;
}

/**
 * The one mapping from a module's error codes to HTTP answers: `{ statusCode, code, message }`,
 * plus `fields` (as the validation pipe answers) when the exception names the field at fault.
 * Use: `export const DirectoryExceptionFilter = errorCodeFilter(DirectoryException, directoryErrorStatus);`
 */
export function errorCodeFilter<E extends CodedError>(
  exceptionType: abstract new (...args: never[]) => E,
  statusOf: Record<E['code'], HttpStatus>,
): Type<ExceptionFilter> {
  @Catch(exceptionType)
  class ErrorCodeFilter implements ExceptionFilter {
    catch(exception: E, host: ArgumentsHost): void {
      const status = statusOf[exception.code as E['code']];
      const reply = host.switchToHttp().getResponse<HttpReply>();
      if (exception.retryAfterSeconds !== undefined) reply.header('Retry-After', String(exception.retryAfterSeconds));
      reply.status(status).send({
        statusCode: status,
        code: exception.code,
        message: exception.field ? [exception.message] : exception.message,
        ...(exception.field ? { fields: [{ field: exception.field, messages: [exception.message] }] } : {}),
      });
    }
  }
  Object.defineProperty(ErrorCodeFilter, 'name', { value: `${exceptionType.name}Filter` });
  return ErrorCodeFilter;
}
