/**
 * DEV ONLY values that `npm start`, `npm run token` and the tests use when the environment
 * does not say otherwise. Never use them in production: every service refuses to start
 * without AUTH_JWT_SECRET, so production must set its own.
 */
export const DEV_AUTH_JWT_SECRET = 'valley-dev-only-jwt-secret-change-me';
export const DEV_SMTP_PORT = 1025;
export const DEV_SMTP_WEB_PORT = 8025;
