import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { CoordinatorGuard, RequestWithActor } from '@valley/platform';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';

export const APPLICANT_TOKEN_HEADER = 'x-applicant-token';

/**
 * A coordinator (Authorization: Bearer, checked as on every coordinator endpoint) or the applicant
 * (X-Applicant-Token, checked against the application by the service). Neither: 401.
 */
@Injectable()
export class ApplicantOrCoordinatorGuard implements CanActivate {
  constructor(private readonly coordinator: CoordinatorGuard) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    if (request.headers.authorization !== undefined) return this.coordinator.canActivate(context);
    if (typeof request.headers[APPLICANT_TOKEN_HEADER] === 'string' && request.headers[APPLICANT_TOKEN_HEADER] !== '') {
      return true;
    }
    throw new MembershipException(
      MembershipErrorCode.APPLICANT_TOKEN_REQUIRED,
      'a coordinator token (Authorization: Bearer) or the applicant token (X-Applicant-Token) is required',
    );
  }
}
