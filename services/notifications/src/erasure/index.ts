export { NotificationsErasure } from './notifications-erasure';
