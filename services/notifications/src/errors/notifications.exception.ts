import { HttpStatus } from '@nestjs/common';

export enum NotificationsErrorCode {
  DELIVERY_NOT_FOUND = 'DELIVERY_NOT_FOUND',
  DELIVERY_NOT_FAILED = 'DELIVERY_NOT_FAILED',
  DELIVERY_RECIPIENT_ERASED = 'DELIVERY_RECIPIENT_ERASED',
  INVALID_UNSUBSCRIBE_TOKEN = 'INVALID_UNSUBSCRIBE_TOKEN',
  INVALID_CURSOR = 'INVALID_CURSOR',
}

/** The one exception type of notifications' rules; mapped to HTTP once, in NotificationsExceptionFilter. */
export class NotificationsException extends Error {
  constructor(
    readonly code: NotificationsErrorCode,
    message: string,
    /** The request field at fault, for 400 answers. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'NotificationsException';
  }
}

export const notificationsErrorStatus: Record<NotificationsErrorCode, HttpStatus> = {
  [NotificationsErrorCode.DELIVERY_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [NotificationsErrorCode.DELIVERY_NOT_FAILED]: HttpStatus.CONFLICT,
  [NotificationsErrorCode.DELIVERY_RECIPIENT_ERASED]: HttpStatus.CONFLICT,
  [NotificationsErrorCode.INVALID_UNSUBSCRIBE_TOKEN]: HttpStatus.FORBIDDEN,
  [NotificationsErrorCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
};
