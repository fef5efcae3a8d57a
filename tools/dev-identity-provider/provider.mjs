/**
 * DEV ONLY OpenID Connect provider for development and tests, built on `oidc-provider` (certified,
 * maintained; ESM-only, hence a plain .mjs run as its own process). In a deployment the cluster's
 * own identity provider (Microsoft Entra ID, Google Workspace, Keycloak) takes its place: nothing
 * here may ever be exposed to anyone but the developer. It refuses to start when
 * NODE_ENV=production.
 *
 * - Accounts: DEV ONLY people, picked on a sign-in page without passwords.
 * - One client, `valley-portal` (confidential, DEV ONLY secret): authorization code flow with PKCE
 *   (S256) required, refresh tokens, no implicit flow.
 * - Access tokens: JWTs (RS256) for the audience `valley-services`, with the `roles` claim, short
 *   lived (10 minutes by default); refresh tokens last as long as the session (8 hours by default)
 *   and end with it. RP-initiated logout (`end_session_endpoint`) ends the session.
 * - Signing and cookie keys are generated at every start (DEV ONLY): tokens do not survive a restart.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/** DEV ONLY people. `roles` goes into the access token's `roles` claim. */
export const DEV_ACCOUNTS = [
  {
    id: 'coordinator@valley.dev',
    name: 'Dev Coordinator',
    description: 'the coordinator organisation’s staff: reviews applications, manages members, reads reports',
    roles: ['coordinator'],
  },
  {
    id: 'person@valley.dev',
    name: 'Dev Person',
    description: 'someone signed in without any Valley role (coordinator endpoints answer 403)',
    roles: [],
  },
];

export const DEV_CLIENT_ID = 'valley-portal';
/** DEV ONLY: the development portal's client secret. */
export const DEV_CLIENT_SECRET = 'valley-dev-only-portal-client-secret';
export const DEV_REDIRECT_URIS = ['http://127.0.0.1:3000/sign-in/callback', 'http://localhost:3000/sign-in/callback'];
export const DEV_POST_LOGOUT_REDIRECT_URIS = ['http://127.0.0.1:3000/', 'http://localhost:3000/'];
export const DEFAULT_AUDIENCE = 'valley-services';
/** The resource indicator (RFC 8707, an absolute URI) of the Valley services' access tokens. */
export const RESOURCE_INDICATOR = 'urn:valley:services';
export const DEFAULT_PORT = 4400;
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 600;
export const DEFAULT_SESSION_TTL_SECONDS = 8 * 3600;

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every value that goes into a page goes through this. */
export const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} (DEV ONLY) · Valley</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 38rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
  .dev-only { border: 3px solid #a40000; background: #fff1f1; color: #6b0000; padding: .75rem 1rem; font-weight: 600; }
  fieldset { border: 1px solid #767676; padding: 1rem; margin: 1rem 0; }
  label { display: block; margin: .5rem 0; }
  button { font: inherit; padding: .5rem 1.25rem; margin-right: .5rem; }
  button:focus, input:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<p class="dev-only" role="note">DEV ONLY: a development identity provider. Anyone can sign in as anyone here,
without a password. A deployment signs people in with the cluster’s own identity provider instead.</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** The URL-encoded body of a form post (at most 16 kB). */
async function formBody(request) {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 16_384) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

/**
 * Where the interaction forms may lead: this provider, and the clients it redirects to after a
 * post (Chromium applies form-action to the redirects that follow a form's submission too).
 */
let formActionSources = "'self'";

function send(response, status, html) {
  response.statusCode = status;
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader(
    'content-security-policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action ${formActionSources}`,
  );
  response.end(html);
}

function loginPage(uid, clientId) {
  const choices = DEV_ACCOUNTS.map(
    (
      account,
      i,
    ) => `<label><input type="radio" name="account" value="${escapeHtml(account.id)}"${i === 0 ? ' checked' : ''}>
  <strong>${escapeHtml(account.name)}</strong> (${escapeHtml(account.id)}; roles: ${escapeHtml(account.roles.join(', ') || 'none')}):
  ${escapeHtml(account.description)}</label>`,
  ).join('\n');
  return page(
    'Sign in to Valley',
    `<p>The application <strong>${escapeHtml(clientId)}</strong> asks who you are. Pick a DEV ONLY account.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<fieldset>
<legend>DEV ONLY accounts</legend>
${choices}
</fieldset>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function consentPage(uid, clientId, accountId, scopes) {
  return page(
    'Allow access',
    `<p>Signed in as <strong>${escapeHtml(accountId)}</strong>.</p>
<p>The application <strong>${escapeHtml(clientId)}</strong> asks for: ${escapeHtml(scopes.join(', ') || 'access to the Valley services')}.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>`,
  );
}

/**
 * The provider's configuration from the environment (DEV_IDP_*), with DEV ONLY defaults.
 * @param {NodeJS.ProcessEnv} env
 */
export function devIdentityProviderSettings(env = process.env) {
  const port = Number(env.DEV_IDP_PORT ?? DEFAULT_PORT);
  const host = env.DEV_IDP_HOST || '127.0.0.1';
  const list = (value) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const seconds = (name, fallback) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number of seconds`);
    return value;
  };
  return {
    host,
    port,
    // The address browsers and services see (the `iss` of every token); by default
    // http://127.0.0.1:<the port it listens on>.
    issuer: env.DEV_IDP_ISSUER || undefined,
    audience: env.DEV_IDP_AUDIENCE || DEFAULT_AUDIENCE,
    redirectUris: [...DEV_REDIRECT_URIS, ...list(env.DEV_IDP_REDIRECT_URIS)],
    postLogoutRedirectUris: [...DEV_POST_LOGOUT_REDIRECT_URIS, ...list(env.DEV_IDP_POST_LOGOUT_REDIRECT_URIS)],
    accessTokenTtlSeconds: seconds('DEV_IDP_ACCESS_TOKEN_TTL_SECONDS', DEFAULT_ACCESS_TOKEN_TTL_SECONDS),
    sessionTtlSeconds: seconds('DEV_IDP_SESSION_TTL_SECONDS', DEFAULT_SESSION_TTL_SECONDS),
  };
}

/**
 * Starts the DEV ONLY provider; resolves once it listens.
 * @param {ReturnType<typeof devIdentityProviderSettings>} settings
 */
export async function startDevIdentityProvider(settings) {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('the DEV ONLY identity provider refuses to run with NODE_ENV=production');
  }
  const { audience, accessTokenTtlSeconds, sessionTtlSeconds } = settings;
  const clientOrigins = [...settings.redirectUris, ...settings.postLogoutRedirectUris].map(
    (uri) => new URL(uri).origin,
  );
  formActionSources = ["'self'", ...new Set(clientOrigins)].join(' ');
  let callback = null;
  const server = createServer((request, response) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(
      new URL(request.url ?? '/', 'http://localhost').pathname,
    );
    if (!match) return callback(request, response);
    interaction(request, response, match[1], match[2]).catch((error) => {
      if (!response.headersSent) {
        send(response, 400, page('Sign-in error', `<p role="alert">${escapeHtml(error.message ?? error)}</p>`));
      }
    });
  });
  // Listen first (port 0: any free one), so that the issuer can name the real port.
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const port = server.address().port;
  const issuer = settings.issuer ?? `http://127.0.0.1:${port}`;
  const accounts = new Map(DEV_ACCOUNTS.map((account) => [account.id, account]));
  const signingKey = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: `dev-only-${randomBytes(6).toString('hex')}`,
    alg: 'RS256',
    use: 'sig',
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: DEV_CLIENT_SECRET,
        client_name: 'Valley portal (DEV ONLY client)',
        redirect_uris: settings.redirectUris,
        post_logout_redirect_uris: settings.postLogoutRedirectUris,
        // The authorization code flow only: no implicit, no hybrid.
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // The authorization code flow is the only one the provider offers (no implicit, no hybrid).
    responseTypes: ['code'],
    // PKCE (S256, the only method oidc-provider supports) for every client, confidential ones too.
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: account.id,
        claims: () => ({ sub: account.id, email: account.id, email_verified: true, name: account.name }),
      };
    },
    // Access tokens name the person's roles (AUTH_ROLES_CLAIM=roles on the services' side).
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'AccessToken') return undefined;
      const account = accounts.get(token.accountId);
      return account ? { roles: account.roles, email: account.id, name: account.name } : undefined;
    },
    // A refresh token for every sign-in (not only with offline_access), living as long as the
    // session: the sign-out that ends the session ends the refresh token too.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => true,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: accessTokenTtlSeconds,
      Interaction: 600,
      Grant: sessionTtlSeconds,
      Session: sessionTtlSeconds,
      // And never beyond the session: expiresWithSession above.
      RefreshToken: sessionTtlSeconds,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Every access token is for the Valley services (the resource indicator urn:valley:services,
        // the audience `valley-services`), asked for or not.
        defaultResource: () => RESOURCE_INDICATOR,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== RESOURCE_INDICATOR) throw new Provider.errors.InvalidTarget();
          return {
            scope: 'openid email profile',
            audience,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'Sign out',
            `${form}
<p>Sign out of Valley’s DEV ONLY identity provider? Your session ends and the application’s refresh token stops working.</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<dl>${Object.entries(out)
          .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
          .join('')}</dl>`,
      );
    },
  });
  // Behind nothing: http on 127.0.0.1 in development.
  provider.proxy = false;

  callback = provider.callback();

  async function interaction(request, response, uid, action) {
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const clientId = details.params.client_id;
    if (request.method === 'GET' && !action) {
      if (details.prompt.name === 'login') return send(response, 200, loginPage(uid, clientId));
      const scopes = [
        ...(details.prompt.details.missingOIDCScope ?? []),
        ...Object.values(details.prompt.details.missingResourceScopes ?? {}).flat(),
      ];
      return send(response, 200, consentPage(uid, clientId, details.session?.accountId, [...new Set(scopes)]));
    }
    if (request.method !== 'POST') return send(response, 405, page('Not allowed', '<p>Use the form.</p>'));
    const form = await formBody(request);
    if (action === 'abort') {
      return provider.interactionFinished(
        request,
        response,
        { error: 'access_denied', error_description: 'the person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
    }
    if (action === 'login' && details.prompt.name === 'login') {
      const accountId = form.get('account');
      if (!accounts.has(accountId)) {
        return send(response, 400, page('Sign in to Valley', '<p role="alert">Pick one of the DEV ONLY accounts.</p>'));
      }
      return provider.interactionFinished(
        request,
        response,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      );
    }
    if (action === 'confirm' && details.prompt.name === 'consent') {
      const { accountId } = details.session;
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      return provider.interactionFinished(
        request,
        response,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    }
    return send(
      response,
      400,
      page('Sign-in error', '<p role="alert">This step does not fit the sign-in under way.</p>'),
    );
  }

  return {
    provider,
    server,
    port,
    issuer,
    jwksUrl: `${issuer}/jwks`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
