import { decodeJwt } from 'jose';
// openid-client 5.7 (CommonJS), not 6: 6 is ESM-only, and the portal runs as CommonJS both under
// `node -r ./scripts/register.js` (npm start, ts-node) and in jest (ts-jest; the browser tests
// start the portal in the test process), where a dynamic import() of an ES module fails without
// --experimental-vm-modules. 5.7 is certified, still published and maintained for security fixes.
import { BaseClient, custom, errors, generators, Issuer, TokenSet } from 'openid-client';
import { PortalConfig, portalPublicUrl } from '../portal.config';

/** What the browser's sign-in round trip must bring back: kept sealed in a cookie, checked at the callback. */
export interface OidcTransaction {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** Where to go after signing in (validated by signInNext). */
  next: string | null;
}

/** The provider's answer, read: who signed in, their tokens, and whether their roles make them a coordinator. */
export interface CoordinatorTokens {
  subject: string;
  email: string | null;
  name: string | null;
  coordinator: boolean;
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string | null;
  idToken: string | null;
}

/** The provider refused (an OAuth error: invalid_grant, access_denied…), as opposed to not answering. */
export class OidcRefused extends Error {
  constructor(
    readonly error: string,
    description?: string,
  ) {
    super(`the identity provider refused: ${error}${description ? ` (${description})` : ''}`);
    this.name = 'OidcRefused';
  }
}

/** The provider could not be reached, or its answer did not check out (discovery, a bad ID token…). */
export class OidcUnavailable extends Error {
  constructor(reason: string) {
    super(`the identity provider is unavailable: ${reason}`);
    this.name = 'OidcUnavailable';
  }
}

/**
 * The portal as an OpenID Connect relying party of the coordinators' provider (OIDC_ISSUER_URL):
 * discovery, the authorization code flow with PKCE (S256), state and nonce, the ID token checked
 * by openid-client (signature against the provider's JWKS, issuer, audience, expiry, nonce), the
 * refresh token grant, revocation and RP-initiated logout. Discovery happens on first use (and
 * again after a failure), so the portal starts while the provider is down.
 */
export class CoordinatorOidc {
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  private client: Promise<BaseClient> | null = null;
  private readonly coordinatorValues: string[];

  constructor(private readonly config: PortalConfig) {
    this.redirectUri = `${portalPublicUrl(config)}/sign-in/callback`;
    this.postLogoutRedirectUri = `${portalPublicUrl(config)}/`;
    this.coordinatorValues = config.OIDC_COORDINATOR_VALUES.split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(next: string | null): Promise<{ url: string; transaction: OidcTransaction }> {
    const client = await this.ready();
    const transaction: OidcTransaction = {
      codeVerifier: generators.codeVerifier(),
      state: generators.state(),
      nonce: generators.nonce(),
      next,
    };
    const url = client.authorizationUrl({
      scope: 'openid email profile',
      response_type: 'code',
      redirect_uri: this.redirectUri,
      code_challenge: generators.codeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url, transaction };
  }

  /** The callback's query (`code`, `state`, or `error`) exchanged for tokens; the ID token is validated. */
  async finish(query: Record<string, unknown>, transaction: OidcTransaction): Promise<CoordinatorTokens> {
    const client = await this.ready();
    const params = Object.fromEntries(
      Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const tokens = await this.call(() =>
      client.callback(this.redirectUri, params, {
        code_verifier: transaction.codeVerifier,
        state: transaction.state,
        nonce: transaction.nonce,
        response_type: 'code',
      }),
    );
    return this.read(tokens, null);
  }

  /** New tokens for a refresh token (which the provider rotates); OidcRefused when the session is over. */
  async refresh(refreshToken: string, previous: { idToken: string | null }): Promise<CoordinatorTokens> {
    const client = await this.ready();
    const tokens = await this.call(() => client.refresh(refreshToken));
    return this.read(tokens, previous.idToken, refreshToken);
  }

  /** Ends the refresh token at the provider (RFC 7009), if it has a revocation endpoint; best effort. */
  async revoke(refreshToken: string): Promise<void> {
    try {
      const client = await this.ready();
      if (client.issuer.metadata.revocation_endpoint) await client.revoke(refreshToken, 'refresh_token');
    } catch {
      // The provider's session ends with the logout below; a refresh token it keeps is sealed in a cookie the browser no longer has.
    }
  }

  /** RP-initiated logout: the provider's end_session_endpoint, back to the portal's home; null when it has none. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    const client = await this.ready();
    if (!client.issuer.metadata.end_session_endpoint) return null;
    return client.endSessionUrl({
      post_logout_redirect_uri: this.postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
  }

  private ready(): Promise<BaseClient> {
    this.client ??= this.discover().catch((error: unknown) => {
      this.client = null;
      throw new OidcUnavailable(error instanceof Error ? error.message : String(error));
    });
    return this.client;
  }

  private async discover(): Promise<BaseClient> {
    const timeout = Math.max(this.config.UPSTREAM_TIMEOUT_MS, 3_000);
    Issuer[custom.http_options] = () => ({ timeout });
    const issuer = await Issuer.discover(this.config.OIDC_ISSUER_URL);
    const client = new issuer.Client({
      client_id: this.config.OIDC_CLIENT_ID,
      client_secret: this.config.OIDC_CLIENT_SECRET,
      redirect_uris: [this.redirectUri],
      post_logout_redirect_uris: [this.postLogoutRedirectUri],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    client[custom.http_options] = () => ({ timeout });
    return client;
  }

  private async call<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof errors.OPError) throw new OidcRefused(error.error ?? 'error', error.error_description);
      // RPError: the answer did not check out (state, nonce, ID token): as if refused.
      if (error instanceof errors.RPError) throw new OidcRefused('invalid_response', error.message);
      throw new OidcUnavailable(error instanceof Error ? error.message : String(error));
    }
  }

  private read(tokens: TokenSet, previousIdToken: string | null, previousRefresh?: string): CoordinatorTokens {
    if (!tokens.access_token) throw new OidcRefused('invalid_response', 'no access token');
    const idClaims: Record<string, unknown> = tokens.id_token ? tokens.claims() : {};
    // The roles are read from the access token (a JWT for the services, who verify it on every
    // call: they decide what a coordinator may do). It came straight from the token endpoint,
    // over the back channel the client secret authenticates, so the portal reads it without
    // checking its signature again; it only decides which pages to show.
    let accessClaims: Record<string, unknown> = {};
    try {
      accessClaims = decodeJwt(tokens.access_token);
    } catch {
      // An opaque access token: the roles then come from the ID token.
    }
    const claims = { ...idClaims, ...accessClaims } as Record<string, unknown>;
    const subject = typeof idClaims.sub === 'string' ? idClaims.sub : String(claims.sub ?? '');
    if (!subject) throw new OidcRefused('invalid_response', 'no subject');
    const now = Math.floor(Date.now() / 1000);
    return {
      subject,
      email: typeof claims.email === 'string' ? claims.email : null,
      name: typeof claims.name === 'string' ? claims.name : null,
      coordinator: this.isCoordinator(claims),
      accessToken: tokens.access_token,
      accessExpiresAt: tokens.expires_at ?? (typeof accessClaims.exp === 'number' ? accessClaims.exp : now + 300),
      refreshToken: tokens.refresh_token ?? previousRefresh ?? null,
      idToken: tokens.id_token ?? previousIdToken,
    };
  }

  /** Any of OIDC_COORDINATOR_VALUES in the OIDC_ROLES_CLAIM claim (a name, or a dotted path; a list or a string). */
  isCoordinator(claims: Record<string, unknown>): boolean {
    const name = this.config.OIDC_ROLES_CLAIM;
    let value: unknown = claims[name];
    if (value === undefined) {
      value = name
        .split('.')
        .reduce<unknown>(
          (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
          claims,
        );
    }
    const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    return values.some((v) => typeof v === 'string' && this.coordinatorValues.includes(v));
  }
}
