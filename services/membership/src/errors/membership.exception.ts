import { HttpStatus } from '@nestjs/common';

export enum MembershipErrorCode {
  APPLICATION_NOT_FOUND = 'APPLICATION_NOT_FOUND',
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  ALREADY_APPLIED = 'ALREADY_APPLIED',
  ALREADY_MEMBER = 'ALREADY_MEMBER',
}

/** The one exception type of membership's rules; mapped to HTTP once, in MembershipExceptionFilter. */
export class MembershipException extends Error {
  constructor(
    readonly code: MembershipErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MembershipException';
  }
}

export const membershipErrorStatus: Record<MembershipErrorCode, HttpStatus> = {
  [MembershipErrorCode.APPLICATION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MembershipErrorCode.TRANSITION_NOT_ALLOWED]: HttpStatus.CONFLICT,
  [MembershipErrorCode.ALREADY_APPLIED]: HttpStatus.CONFLICT,
  [MembershipErrorCode.ALREADY_MEMBER]: HttpStatus.CONFLICT,
};
