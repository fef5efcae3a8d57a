import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JSONWebKeySet, JWK, KeyLike, SignJWT } from 'jose';

export type TestIssuerAlg = 'RS256' | 'ES256' | 'EdDSA';
export const TEST_ISSUER_ALGS: TestIssuerAlg[] = ['RS256', 'ES256', 'EdDSA'];

export interface TestTokenOptions {
  kid?: string;
  key?: KeyLike;
  /** null: no exp at all. */
  exp?: number | null;
  iss?: string;
  aud?: string;
  subject?: string;
}

/**
 * An identity provider's signing side, for tests: an RS256, an ES256 and an EdDSA key, their JWKS
 * served over real HTTP at `jwksUrl` (requests counted), and tokens signed with them (or with
 * `stranger`, a key the JWKS does not hold).
 */
export class TestIssuer {
  private readonly keys = {} as Record<TestIssuerAlg, { privateKey: KeyLike; jwk: JWK }>;
  private server?: Server;
  stranger!: KeyLike;
  jwksUrl = '';
  jwksRequests = 0;

  constructor(
    readonly issuer: string,
    readonly audience: string,
    private readonly path = '/.well-known/jwks.json',
  ) {}

  async start(): Promise<this> {
    for (const alg of TEST_ISSUER_ALGS) {
      const pair = await generateKeyPair(alg);
      this.keys[alg] = {
        privateKey: pair.privateKey,
        jwk: { ...(await exportJWK(pair.publicKey)), kid: `k-${alg}`, alg },
      };
    }
    this.stranger = (await generateKeyPair('RS256')).privateKey;
    this.server = createServer((request, response) => {
      this.jwksRequests += 1;
      if (request.url !== this.path) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(this.jwks));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.path}`;
    return this;
  }

  /** The public keys, as the JWKS URL serves them (for a verifier given its key set locally). */
  get jwks(): JSONWebKeySet {
    return { keys: TEST_ISSUER_ALGS.map((alg) => this.keys[alg].jwk) };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A token of `alg` with `claims` (by default a coordinator's), valid for ten minutes unless told otherwise. */
  sign(
    alg: TestIssuerAlg,
    claims: Record<string, unknown> = { roles: ['coordinator'] },
    options: TestTokenOptions = {},
  ): Promise<string> {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg, kid: options.kid ?? `k-${alg}` })
      .setSubject(options.subject ?? 'ona@valley.lt')
      .setIssuer(options.iss ?? this.issuer)
      .setAudience(options.aud ?? this.audience)
      .setIssuedAt();
    if (options.exp !== null) jwt.setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600);
    return jwt.sign(options.key ?? this.keys[alg].privateKey);
  }
}
