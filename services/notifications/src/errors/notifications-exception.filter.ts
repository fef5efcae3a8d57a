import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { NotificationsException, notificationsErrorStatus } from './notifications.exception';

@Catch(NotificationsException)
export class NotificationsExceptionFilter implements ExceptionFilter {
  catch(exception: NotificationsException, host: ArgumentsHost): void {
    const status = notificationsErrorStatus[exception.code];
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        statusCode: status,
        code: exception.code,
        message: exception.message,
        ...(exception.field ? { fields: [{ field: exception.field, messages: [exception.message] }] } : {}),
      });
  }
}
