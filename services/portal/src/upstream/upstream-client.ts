import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export const UpstreamNames = ['membership', 'directory', 'notifications', 'reporting'] as const;
export type UpstreamName = (typeof UpstreamNames)[number];

/** A service did not answer in time, could not be reached, or failed (5xx): that part of a page is unavailable. */
export class UpstreamUnavailable extends Error {
  constructor(
    readonly service: UpstreamName,
    reason: string,
    /** The status it answered with (a 5xx, or 429: too many requests), when it answered. */
    readonly status?: number,
  ) {
    super(`${service} is unavailable: ${reason}`);
    this.name = 'UpstreamUnavailable';
  }
}

/** Who the portal asks on behalf of: the services rate-limit per client and trust the portal to say who. */
export interface Visitor {
  ip: string | undefined;
}

export interface UpstreamAnswer<T> {
  status: number;
  body: T;
  headers: IncomingHttpHeaders;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with its content type (a multipart upload); instead of `body`. */
  rawBody?: { contentType: string; data: Buffer };
  /** `text`: the answer's body as text, not parsed (a CSV); default `json`. */
  responseType?: 'json' | 'text';
  headers?: Record<string, string>;
  visitor?: Visitor;
  /** Overrides the client's timeout (health checks ask for less). */
  timeoutMs?: number;
}

/**
 * Kept-alive connections to the services, shared by all clients. node:http rather than fetch:
 * on this machine fetch (undici) cost about 0.8 ms a request, six times node:http's, and a
 * directory page is one request.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 }),
};

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One service's HTTP API as the portal calls it: JSON, a short timeout, the visitor's address in
 * X-Forwarded-For. A 2xx or 4xx is an answer (the caller decides what a 404 or 400 means); no
 * answer in time, a refused connection, a 5xx or a 429 (too many requests: try again later) is
 * UpstreamUnavailable.
 */
export class UpstreamClient {
  constructor(
    readonly service: UpstreamName,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async request<T = unknown>(path: string, request: UpstreamRequest = {}): Promise<UpstreamAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.visitor?.ip) headers['x-forwarded-for'] = request.visitor.ip;
    const body: string | Buffer | undefined = request.rawBody
      ? request.rawBody.data
      : request.body === undefined
        ? undefined
        : JSON.stringify(request.body);
    if (body !== undefined) {
      headers['content-type'] = request.rawBody ? request.rawBody.contentType : 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const method = request.method ?? 'GET';
    const url = new URL(`${this.baseUrl}${path}`);
    const deadline = Date.now() + (request.timeoutMs ?? this.timeoutMs);
    let raw: RawAnswer;
    try {
      raw = await send(method, url, headers, body, deadline).catch((error: unknown) => {
        // A kept-alive connection the service closed just then: a GET is asked again, once.
        if (method === 'GET' && (error as { reusedSocket?: boolean }).reusedSocket) {
          return send(method, url, headers, body, deadline);
        }
        throw error;
      });
    } catch (error) {
      throw new UpstreamUnavailable(this.service, describe(error));
    }
    if (raw.status >= 500 || raw.status === 429) {
      throw new UpstreamUnavailable(this.service, `answered ${raw.status}`, raw.status);
    }
    if (request.responseType === 'text') return { status: raw.status, body: raw.text as T, headers: raw.headers };
    let parsed: unknown = null;
    try {
      parsed = raw.text === '' ? null : JSON.parse(raw.text);
    } catch (error) {
      throw new UpstreamUnavailable(this.service, `unreadable answer (${describe(error)})`);
    }
    return { status: raw.status, body: parsed as T, headers: raw.headers };
  }

  /** Whether the service's process answers (its /health/live), quickly. */
  async alive(timeoutMs = 1_000): Promise<boolean> {
    try {
      return (await this.request('/health/live', { timeoutMs })).status === 200;
    } catch {
      return false;
    }
  }
}

/** One exchange, the answer read whole, within the deadline. */
function send(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  deadline: number,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).request(
      url,
      { method, headers, agent: AGENTS[secure ? 'https:' : 'http:'] },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' })),
      Math.max(1, deadline - Date.now()),
    );
    function fail(error: Error) {
      clearTimeout(timer);
      reject(Object.assign(error, { reusedSocket: req.reusedSocket }));
    }
    req.on('error', fail);
    req.end(body);
  });
}

/** Errors of node:http come from Node's own realm (instanceof Error fails under jest): read them by shape. */
function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const { name, message, cause } = error as {
      name?: string;
      message: string;
      cause?: { code?: string; message?: string };
    };
    if (name === 'TimeoutError') return 'no answer in time';
    const detail = cause?.code ?? cause?.message;
    return detail ? `${message} (${detail})` : message;
  }
  return String(error);
}
