import { UpstreamAnswer, UpstreamClient, UpstreamName, UpstreamRequest, Visitor } from './upstream-client';

/**
 * The service refused the signed-in person's token (401): it expired in between, or the session
 * was ended elsewhere. The page filter then clears the session and sends the person to sign in,
 * back to this page afterwards.
 */
export class BearerRefused extends Error {
  constructor(readonly service: UpstreamName) {
    super(`${service} refused the session's access token (401)`);
    this.name = 'BearerRefused';
  }
}

/** One service's API called as the signed-in person: their bearer token and address on every request. */
export class BearerClient {
  constructor(
    private readonly client: UpstreamClient,
    private readonly accessToken: string,
    private readonly visitor: Visitor,
  ) {}

  get service(): UpstreamName {
    return this.client.service;
  }

  /**
   * As UpstreamClient.request (a 2xx–4xx is an answer, no answer or a 5xx/429 UpstreamUnavailable),
   * with `Authorization: Bearer …`; a 401 throws BearerRefused.
   */
  async request<T = unknown>(path: string, request: Omit<UpstreamRequest, 'visitor'> = {}): Promise<UpstreamAnswer<T>> {
    const answer = await this.client.request<T>(path, {
      ...request,
      visitor: this.visitor,
      headers: { ...request.headers, authorization: `Bearer ${this.accessToken}` },
    });
    if (answer.status === 401) throw new BearerRefused(this.client.service);
    return answer;
  }
}

/** The four services' APIs for one request of one signed-in person (see `@SignedIn()` in session/). */
export class BearerApis {
  readonly membership: BearerClient;
  readonly directory: BearerClient;
  readonly notifications: BearerClient;
  readonly reporting: BearerClient;

  constructor(clients: Record<UpstreamName, UpstreamClient>, accessToken: string, visitor: Visitor) {
    this.membership = new BearerClient(clients.membership, accessToken, visitor);
    this.directory = new BearerClient(clients.directory, accessToken, visitor);
    this.notifications = new BearerClient(clients.notifications, accessToken, visitor);
    this.reporting = new BearerClient(clients.reporting, accessToken, visitor);
  }
}
