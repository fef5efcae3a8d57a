import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DirectoryException, directoryErrorStatus } from './directory.exception';

@Catch(DirectoryException)
export class DirectoryExceptionFilter implements ExceptionFilter {
  catch(exception: DirectoryException, host: ArgumentsHost): void {
    const status = directoryErrorStatus[exception.code];
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        statusCode: status,
        code: exception.code,
        message: exception.field ? [exception.message] : exception.message,
        ...(exception.field ? { fields: [{ field: exception.field, messages: [exception.message] }] } : {}),
      });
  }
}
