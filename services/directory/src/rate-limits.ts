import { RateLimitRule } from '@valley/platform';

/**
 * The public directory, per client address (RATE_LIMITS overrides them by name): generous, ten a
 * second sustained, so that a person typing into a search box never meets it and a scraper does.
 */
export const DIRECTORY_RATE_LIMITS: RateLimitRule[] = [
  { name: 'search', method: 'GET', path: '/members', points: 600, seconds: 60 },
  { name: 'profile', method: 'GET', path: '/members/:id', points: 600, seconds: 60 },
  { name: 'facets', method: 'GET', path: '/facets', points: 600, seconds: 60 },
];
