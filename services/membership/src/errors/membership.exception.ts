import { HttpStatus } from '@nestjs/common';

export enum MembershipErrorCode {
  APPLICATION_NOT_FOUND = 'APPLICATION_NOT_FOUND',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  ALREADY_APPLIED = 'ALREADY_APPLIED',
  ALREADY_MEMBER = 'ALREADY_MEMBER',
  APPLICANT_TOKEN_REQUIRED = 'APPLICANT_TOKEN_REQUIRED',
  VERSION_REQUIRED = 'VERSION_REQUIRED',
  VERSION_MALFORMED = 'VERSION_MALFORMED',
  STALE_VERSION = 'STALE_VERSION',
  IMPORT_FILE_INVALID = 'IMPORT_FILE_INVALID',
  INVALID_CURSOR = 'INVALID_CURSOR',
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
  [MembershipErrorCode.MEMBER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MembershipErrorCode.TRANSITION_NOT_ALLOWED]: HttpStatus.CONFLICT,
  [MembershipErrorCode.ALREADY_APPLIED]: HttpStatus.CONFLICT,
  [MembershipErrorCode.ALREADY_MEMBER]: HttpStatus.CONFLICT,
  [MembershipErrorCode.APPLICANT_TOKEN_REQUIRED]: HttpStatus.UNAUTHORIZED,
  [MembershipErrorCode.VERSION_REQUIRED]: HttpStatus.PRECONDITION_REQUIRED,
  [MembershipErrorCode.VERSION_MALFORMED]: HttpStatus.BAD_REQUEST,
  [MembershipErrorCode.STALE_VERSION]: HttpStatus.PRECONDITION_FAILED,
  [MembershipErrorCode.IMPORT_FILE_INVALID]: HttpStatus.BAD_REQUEST,
  [MembershipErrorCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
};
