import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { UpstreamClient, UpstreamUnavailable } from './upstream-client';

/** The address of a port nothing listens on (any more). */
async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A real HTTP server standing in for a service: records what it was sent, answers as told. */
describe('UpstreamClient', () => {
  let server: Server;
  let base: string;
  let seen: { url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let answer: (url: string) => { status: number; body?: string; delayMs?: number } = () => ({
    status: 200,
    body: '{}',
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body });
        const { status, body: out = '', delayMs = 0 } = answer(req.url ?? '');
        setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(out), delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen = [];
  });

  it("sends the visitor's address in X-Forwarded-For, JSON bodies, and the caller's headers", async () => {
    answer = () => ({ status: 201, body: '{"id":"a"}' });
    const client = new UpstreamClient('membership', base, 1_000);
    const result = await client.request('/applications', {
      method: 'POST',
      body: { legalName: 'Šiaulių Metalas' },
      headers: { 'x-applicant-token': 'tok' },
      visitor: { ip: '203.0.113.7' },
    });
    expect(result).toMatchObject({ status: 201, body: { id: 'a' } });
    expect(seen[0].headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(seen[0].headers['x-applicant-token']).toBe('tok');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0].body)).toEqual({ legalName: 'Šiaulių Metalas' });
  });

  it('sends a raw body with its content type (a multipart upload) and reads a text answer unparsed (a CSV)', async () => {
    answer = () => ({ status: 200, body: '\uFEFFperiod,members\r\n2026-01,5\r\n' });
    const client = new UpstreamClient('membership', base, 1_000);
    const data = Buffer.from('--b\r\ncontent-disposition: form-data; name="file"\r\n\r\nĄ,B\r\n--b--\r\n');
    const result = await client.request<string>('/members/import', {
      method: 'POST',
      rawBody: { contentType: 'multipart/form-data; boundary=b', data },
      responseType: 'text',
    });
    expect(result).toMatchObject({ status: 200, body: '\uFEFFperiod,members\r\n2026-01,5\r\n' });
    expect(seen[0].headers['content-type']).toBe('multipart/form-data; boundary=b');
    expect(seen[0].headers['content-length']).toBe(String(data.length));
    expect(seen[0].body).toBe(data.toString('utf8'));
  });

  it('returns a 4xx as an answer, for the caller to read', async () => {
    answer = () => ({ status: 404, body: '{"code":"MEMBER_NOT_LISTED"}' });
    const result = await new UpstreamClient('directory', base, 1_000).request('/members/x');
    expect(result).toMatchObject({ status: 404, body: { code: 'MEMBER_NOT_LISTED' } });
    expect(seen[0].headers['x-forwarded-for']).toBeUndefined();
  });

  it('calls a service that takes longer than the timeout unavailable, quickly', async () => {
    answer = () => ({ status: 200, body: '{}', delayMs: 2_000 });
    const started = Date.now();
    const error = await new UpstreamClient('directory', base, 200).request('/members').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect((error as UpstreamUnavailable).service).toBe('directory');
    expect((error as Error).message).toBe('directory is unavailable: no answer in time');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('calls a 5xx, an unreadable answer and a refused connection unavailable', async () => {
    answer = () => ({ status: 503, body: '{"status":"error"}' });
    await expect(new UpstreamClient('reporting', base, 1_000).request('/x')).rejects.toThrow(
      'reporting is unavailable: answered 503',
    );
    answer = () => ({ status: 429, body: '{"code":"TOO_MANY_REQUESTS"}' });
    await expect(new UpstreamClient('membership', base, 1_000).request('/x')).rejects.toThrow(
      'membership is unavailable: answered 429',
    );
    answer = () => ({ status: 200, body: '<html>' });
    await expect(new UpstreamClient('reporting', base, 1_000).request('/x')).rejects.toThrow(/unreadable answer/);
    const closed = await closedPort();
    await expect(new UpstreamClient('membership', closed, 1_000).request('/x')).rejects.toThrow(
      /membership is unavailable: .*ECONNREFUSED/,
    );
    expect(await new UpstreamClient('membership', closed, 1_000).alive()).toBe(false);
    answer = () => ({ status: 200, body: '{"status":"ok"}' });
    expect(await new UpstreamClient('membership', base, 1_000).alive()).toBe(true);
  });
});
