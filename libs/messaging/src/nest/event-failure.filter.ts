import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { PermanentEventError } from '../consumer/retry-policy';
import {
  classifyFailure,
  errorMessage,
  EventFailedError,
  FailureKindsByCode,
  InfrastructureError,
} from '../failures/failure-kind';

/**
 * The exception filter of every @ConsumeEvents handler: maps the failure, by the service's own error
 * codes and then by what the infrastructure's errors look like (classifyFailure), to an
 * InfrastructureError (waited out) or an EventFailedError (bounded tries, then the dead-letter
 * topic), keeping the original as its cause. Nest's own RPC filter would turn every error into
 * `{ status: 'error' }` and lose what it was.
 */
@Catch()
export class EventFailureFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly codes: FailureKindsByCode = {}) {}

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => this.classify(exception));
  }

  classify(exception: unknown): Error {
    if (exception instanceof PermanentEventError) return exception;
    const message = errorMessage(exception);
    return classifyFailure(exception, this.codes) === 'infrastructure'
      ? new InfrastructureError(message, { cause: exception })
      : new EventFailedError(message, { cause: exception });
  }
}
