/**
 * DEV ONLY: runs the development OpenID Connect provider (./provider.mjs) until SIGINT or SIGTERM.
 * `npm start` and the integration tests start it as their own process; by hand:
 *
 *   node tools/dev-identity-provider/main.mjs
 *
 * Variables (all optional): DEV_IDP_PORT (4400; 0: any free port), DEV_IDP_HOST (127.0.0.1),
 * DEV_IDP_ISSUER (http://127.0.0.1:<port>), DEV_IDP_AUDIENCE (valley-services),
 * DEV_IDP_ACCESS_TOKEN_TTL_SECONDS (600), DEV_IDP_SESSION_TTL_SECONDS (28800),
 * DEV_IDP_REDIRECT_URIS and DEV_IDP_POST_LOGOUT_REDIRECT_URIS (extra ones, comma-separated).
 *
 * Once it listens it prints one line, `dev-identity-provider ready {json}`, with the issuer, the
 * JWKS URL, the client id and the accounts: what callers wait for.
 */
import { DEV_ACCOUNTS, DEV_CLIENT_ID, devIdentityProviderSettings, startDevIdentityProvider } from './provider.mjs';

try {
  const settings = devIdentityProviderSettings(process.env);
  const running = await startDevIdentityProvider(settings);
  const ready = {
    issuer: running.issuer,
    jwksUrl: running.jwksUrl,
    port: running.port,
    audience: settings.audience,
    clientId: DEV_CLIENT_ID,
    accounts: DEV_ACCOUNTS.map((account) => ({ id: account.id, roles: account.roles })),
    accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
    sessionTtlSeconds: settings.sessionTtlSeconds,
  };
  process.stdout.write(`dev-identity-provider ready ${JSON.stringify(ready)}\n`);
  const stop = () => void running.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`dev-identity-provider: ${error instanceof Error ? error.message : error}\n`);
  process.exit(78);
}
