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
  SIGN_IN_RATE_LIMITED = 'SIGN_IN_RATE_LIMITED',
  SIGN_IN_LINK_INVALID = 'SIGN_IN_LINK_INVALID',
  SESSION_ENDED = 'SESSION_ENDED',
  MEMBERSHIP_ENDED = 'MEMBERSHIP_ENDED',
  MEMBER_READ_ONLY = 'MEMBER_READ_ONLY',
  PERSONAL_DATA_ERASED = 'PERSONAL_DATA_ERASED',
  ERASURE_NOT_ALLOWED = 'ERASURE_NOT_ALLOWED',
}

/** The request field a code is always about: its 400 names it in `fields`, as validation does. */
const FIELD_OF_CODE: Partial<Record<MembershipErrorCode, string>> = {
  [MembershipErrorCode.INVALID_CURSOR]: 'cursor',
  [MembershipErrorCode.VERSION_MALFORMED]: 'If-Match',
  [MembershipErrorCode.IMPORT_FILE_INVALID]: 'file',
};

/** The one exception type of membership's rules; mapped to HTTP once, in MembershipExceptionFilter. */
export class MembershipException extends Error {
  /** The request field at fault, for 400 answers. */
  readonly field?: string;

  constructor(
    readonly code: MembershipErrorCode,
    message: string,
    field: string | undefined = FIELD_OF_CODE[code],
    /** Answered as Retry-After (rate limits). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MembershipException';
    this.field = field;
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
  [MembershipErrorCode.SIGN_IN_RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [MembershipErrorCode.SIGN_IN_LINK_INVALID]: HttpStatus.UNAUTHORIZED,
  [MembershipErrorCode.SESSION_ENDED]: HttpStatus.UNAUTHORIZED,
  [MembershipErrorCode.MEMBERSHIP_ENDED]: HttpStatus.FORBIDDEN,
  [MembershipErrorCode.MEMBER_READ_ONLY]: HttpStatus.FORBIDDEN,
  [MembershipErrorCode.PERSONAL_DATA_ERASED]: HttpStatus.CONFLICT,
  [MembershipErrorCode.ERASURE_NOT_ALLOWED]: HttpStatus.CONFLICT,
};
