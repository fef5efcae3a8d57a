import { errorCodeFilter } from '@valley/platform';
import { NotificationsException, notificationsErrorStatus } from './notifications.exception';

export const NotificationsExceptionFilter = errorCodeFilter(NotificationsException, notificationsErrorStatus);
