import { RateLimitRule } from '@valley/platform';

/**
 * What anyone may call without a token, per client address (RATE_LIMITS overrides them by name).
 * An organisation applies once; a few more tries leave room for mistakes and a shared office.
 */
export const MEMBERSHIP_RATE_LIMITS: RateLimitRule[] = [
  { name: 'applications', method: 'POST', path: '/applications', points: 10, seconds: 600 },
  { name: 'withdraw', method: 'POST', path: '/applications/:id/withdraw', points: 10, seconds: 600 },
  { name: 'application', method: 'GET', path: '/applications/:id', points: 120, seconds: 60 },
  { name: 'application-history', method: 'GET', path: '/applications/:id/history', points: 120, seconds: 60 },
  // Sign-in links: per client, and per address whoever asks (a mailbox is not flooded from many clients).
  { name: 'sign-in-links', method: 'POST', path: '/sign-in/links', points: 20, seconds: 600 },
  {
    name: 'sign-in-address',
    method: 'POST',
    path: '/sign-in/links',
    points: 5,
    seconds: 3600,
    per: 'key',
    keyName: 'email address',
  },
  { name: 'sign-in-token', method: 'POST', path: '/sign-in/token', points: 30, seconds: 600 },
  { name: 'sign-in-refresh', method: 'POST', path: '/sign-in/refresh', points: 120, seconds: 600 },
];
