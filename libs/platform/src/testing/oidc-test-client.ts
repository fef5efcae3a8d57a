import { createHash, randomBytes } from 'node:crypto';

/**
 * The two sides of an OpenID Connect sign-in, for tests, over real HTTP with fetch: a browser (a
 * cookie jar that follows redirects and posts forms) and a relying party (a confidential client
 * running the authorization code flow with PKCE S256, then the token endpoint's refresh and the
 * provider's RP-initiated logout). Written with fetch rather than openid-client: openid-client 6
 * is ESM-only, and jest here loads CommonJS.
 */

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

export interface OidcTestClientOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri?: string;
  scope?: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint: string;
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** A browser's cookies for one host: names, values and paths (enough for one provider on 127.0.0.1). */
export class CookieJar {
  private cookies: Cookie[] = [];

  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attribute = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attribute('path') ?? url.pathname.replace(/\/[^/]*$/, '/');
      const expires = attribute('expires');
      const maxAge = attribute('max-age');
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      const gone = (maxAge !== undefined && Number(maxAge) <= 0) || (expires && Date.parse(expires) <= Date.now());
      if (!gone) this.cookies.push({ name, value, path });
    }
  }

  header(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get names(): string[] {
    return this.cookies.map((c) => c.name);
  }
}

/** What the browser ended on: a page of the provider, or the redirect to the client's own URI. */
export interface BrowserStop {
  url: URL;
  status: number;
  html: string;
}

/** A browser: sends its cookies, keeps the ones it is given, follows redirects up to `stopAt`. */
export class TestBrowser {
  /** Every URL visited, in order (for assertions about the way). */
  readonly visited: string[] = [];

  constructor(
    private readonly stopAt: (url: URL) => boolean,
    readonly jar = new CookieJar(),
  ) {}

  async go(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<BrowserStop> {
    let target = new URL(url);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hops = 0; hops < 20; hops++) {
      this.visited.push(`${method} ${target.href}`);
      if (this.stopAt(target)) return { url: target, status: 0, html: '' };
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = this.jar.header(target);
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(target, { method, headers, body, redirect: 'manual' });
      this.jar.store(target, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        target = new URL(location, target);
        // 303 (and, as browsers do, 301/302 after a POST) turn into a GET.
        if (response.status !== 307 && response.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        await response.arrayBuffer();
        continue;
      }
      return { url: target, status: response.status, html: await response.text() };
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /** Submits the page's form whose action matches `action`, with its hidden inputs and `values`. */
  async submit(page: BrowserStop, action: RegExp, values: Record<string, string> = {}): Promise<BrowserStop> {
    const forms = [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => action.test(decodeHtml(/\baction="([^"]*)"/.exec(f[1])?.[1] ?? '')));
    if (!form) throw new Error(`no form posting to ${action} on ${page.url.href}:\n${page.html}`);
    const hidden = Object.fromEntries(
      [...form[2].matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)].map((input) => [
        decodeHtml(/\bname="([^"]*)"/.exec(input[0])?.[1] ?? ''),
        decodeHtml(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? ''),
      ]),
    );
    const target = new URL(decodeHtml(/\baction="([^"]*)"/.exec(form[1])![1]), page.url);
    return this.go(target, { form: { ...hidden, ...values } });
  }
}

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** A sign-in as it went: the tokens, and the browser (its session cookie) for the sign-out. */
export interface SignIn {
  tokens: TokenSet;
  browser: TestBrowser;
  /** The pages the person saw (the provider's sign-in and consent pages). */
  pages: BrowserStop[];
  /** The authorization request as sent. */
  authorizationRequest: URL;
}

/** The relying party: a confidential client (client_secret_basic) with PKCE S256. */
export class OidcTestClient {
  private discovery?: Discovery;

  constructor(readonly options: OidcTestClientOptions) {}

  async metadata(): Promise<Discovery> {
    if (!this.discovery) {
      const response = await fetch(new URL('/.well-known/openid-configuration', this.options.issuer));
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      this.discovery = (await response.json()) as Discovery;
      if (this.discovery.issuer !== this.options.issuer) {
        throw new Error(`discovery names the issuer ${this.discovery.issuer}, not ${this.options.issuer}`);
      }
    }
    return this.discovery;
  }

  private basicAuth(): string {
    const encode = (s: string) => encodeURIComponent(s);
    return `Basic ${Buffer.from(`${encode(this.options.clientId)}:${encode(this.options.clientSecret)}`).toString('base64')}`;
  }

  async tokenRequest(params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch((await this.metadata()).token_endpoint, {
      method: 'POST',
      headers: { authorization: this.basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /**
   * Signs `account` in: the authorization request (code, PKCE S256, state, nonce), the provider's
   * DEV ONLY pages (pick the account, allow), the code at the redirect URI, the token exchange with
   * the code_verifier and the client's secret.
   */
  async signIn(
    account: string,
    extra: Record<string, string> = {},
    /** To test the token endpoint: another code_verifier than the one the challenge was made from. */
    exchangeVerifier?: string,
  ): Promise<SignIn> {
    const { authorization_endpoint, issuer } = await this.metadata();
    const verifier = base64url(randomBytes(32));
    const state = base64url(randomBytes(16));
    const request = new URL(authorization_endpoint);
    for (const [key, value] of Object.entries({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri,
      scope: this.options.scope ?? 'openid email profile',
      state,
      nonce: base64url(randomBytes(16)),
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      ...extra,
    })) {
      request.searchParams.set(key, value);
    }

    const redirect = new URL(this.options.redirectUri);
    const browser = new TestBrowser((url) => url.origin === redirect.origin && url.pathname === redirect.pathname);
    const pages: BrowserStop[] = [];
    let stop = await browser.go(request);
    while (stop.status !== 0) {
      if (stop.status !== 200)
        throw new Error(`the provider answered ${stop.status} at ${stop.url.href}:\n${stop.html}`);
      pages.push(stop);
      if (/\/login"/.test(stop.html)) stop = await browser.submit(stop, /\/login$/, { account });
      else if (/\/confirm"/.test(stop.html)) stop = await browser.submit(stop, /\/confirm$/);
      else throw new Error(`an unexpected page at ${stop.url.href}:\n${stop.html}`);
      if (pages.length > 4) throw new Error('the sign-in goes round in circles');
    }

    const callback = stop.url.searchParams;
    if (callback.get('error'))
      throw new Error(`sign-in refused: ${callback.get('error')} ${callback.get('error_description')}`);
    if (callback.get('state') !== state) throw new Error('the redirect carries another state');
    if (callback.get('iss') !== issuer) throw new Error(`the redirect names another issuer: ${callback.get('iss')}`);
    const code = callback.get('code');
    if (!code) throw new Error(`no code at the redirect URI: ${stop.url.href}`);

    const exchange = await this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.options.redirectUri,
      code_verifier: exchangeVerifier ?? verifier,
    });
    if (exchange.status !== 200)
      throw new Error(`the token endpoint answered ${exchange.status}: ${JSON.stringify(exchange.body)}`);
    return { tokens: exchange.body as unknown as TokenSet, browser, pages, authorizationRequest: request };
  }

  /** The refresh_token grant: the new token set, or the provider's error. */
  refresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /**
   * RP-initiated logout as the browser does it: the end-session request with the id_token_hint,
   * the provider's sign-out page, its form confirmed; ends at the post-logout redirect URI.
   */
  async signOut(signIn: SignIn): Promise<BrowserStop> {
    const { end_session_endpoint } = await this.metadata();
    const postLogout = this.options.postLogoutRedirectUri;
    const request = new URL(end_session_endpoint);
    if (signIn.tokens.id_token) request.searchParams.set('id_token_hint', signIn.tokens.id_token);
    request.searchParams.set('client_id', this.options.clientId);
    if (postLogout) request.searchParams.set('post_logout_redirect_uri', postLogout);
    const stopAt = postLogout ? new URL(postLogout) : undefined;
    // The same browser's cookies: they are the session to end.
    const leave = new TestBrowser((url) => !!stopAt && url.href === stopAt.href, signIn.browser.jar);
    const page = await leave.go(request);
    if (page.status !== 200) throw new Error(`end_session answered ${page.status}:\n${page.html}`);
    return leave.submit(page, /\/session\/end\/confirm$/, { logout: 'yes' });
  }
}
