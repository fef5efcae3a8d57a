import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { MembershipException, membershipErrorStatus } from './membership.exception';

@Catch(MembershipException)
export class MembershipExceptionFilter implements ExceptionFilter {
  catch(exception: MembershipException, host: ArgumentsHost): void {
    const status = membershipErrorStatus[exception.code];
    host.switchToHttp().getResponse<Response>().status(status).json({
      statusCode: status,
      code: exception.code,
      message: exception.message,
    });
  }
}
