/**
 * DEV ONLY values that `npm start`, `npm run token` and the tests use when the environment
 * does not say otherwise. Never use them in production: every service refuses to start
 * without AUTH_JWT_SECRET, so production must set its own.
 */
export const DEV_AUTH_JWT_SECRET = 'valley-dev-only-jwt-secret-change-me';
export const DEV_SMTP_PORT = 1025;
export const DEV_SMTP_WEB_PORT = 8025;
/** DEV ONLY: the development OpenID Connect provider (tools/dev-identity-provider) that npm start runs. */
export const DEV_IDP_PORT = 4400;
/**
 * DEV ONLY: the issuer and audience of development tokens, the dev provider's; npm start configures
 * the services with them, and `npm run token` signs its HS256 tokens with the same.
 */
export const DEV_AUTH_ISSUER = `http://127.0.0.1:${DEV_IDP_PORT}`;
export const DEV_AUTH_AUDIENCE = 'valley-services';
/** DEV ONLY: the development portal's client at the dev provider, and the development coordinator. */
export const DEV_IDP_CLIENT_ID = 'valley-portal';
export const DEV_IDP_CLIENT_SECRET = 'valley-dev-only-portal-client-secret';
export const DEV_IDP_COORDINATOR = 'coordinator@valley.dev';
/** DEV ONLY: where the development portal runs, allowed to call the services from a browser. */
export const DEV_CORS_ORIGINS = 'http://127.0.0.1:3000,http://localhost:3000';
