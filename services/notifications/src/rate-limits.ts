import { RateLimitRule } from '@valley/platform';

/** The unsubscribe links of announcements, per client address (RATE_LIMITS overrides them by name). */
export const NOTIFICATIONS_RATE_LIMITS: RateLimitRule[] = [
  { name: 'unsubscribe-page', method: 'GET', path: '/unsubscribe', points: 30, seconds: 60 },
  { name: 'unsubscribe', method: 'POST', path: '/unsubscribe', points: 30, seconds: 60 },
];
