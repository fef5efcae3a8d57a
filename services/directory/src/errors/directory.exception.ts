import { HttpStatus } from '@nestjs/common';

export enum DirectoryErrorCode {
  MEMBER_NOT_LISTED = 'MEMBER_NOT_LISTED',
  INVALID_CURSOR = 'INVALID_CURSOR',
  INVALID_SORT = 'INVALID_SORT',
  INVALID_WEBHOOK_URL = 'INVALID_WEBHOOK_URL',
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FAILED = 'WEBHOOK_DELIVERY_NOT_FAILED',
}

/** The one exception type of the directory's rules; mapped to HTTP once, in DirectoryExceptionFilter. */
export class DirectoryException extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    /** The request field at fault, named in the 400 answer's `fields`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DirectoryException';
  }
}

export const directoryErrorStatus: Record<DirectoryErrorCode, HttpStatus> = {
  [DirectoryErrorCode.MEMBER_NOT_LISTED]: HttpStatus.NOT_FOUND,
  [DirectoryErrorCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
  [DirectoryErrorCode.INVALID_SORT]: HttpStatus.BAD_REQUEST,
  [DirectoryErrorCode.INVALID_WEBHOOK_URL]: HttpStatus.BAD_REQUEST,
  [DirectoryErrorCode.WEBHOOK_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DirectoryErrorCode.WEBHOOK_DELIVERY_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DirectoryErrorCode.WEBHOOK_DELIVERY_NOT_FAILED]: HttpStatus.CONFLICT,
};
