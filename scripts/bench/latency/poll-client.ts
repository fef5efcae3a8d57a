import { Agent, get } from 'node:http';

/**
 * A GET for the watches' polls, over node:http with kept-alive connections: fetch (undici) costs
 * this script about twice the CPU a request, and at 20 admissions a second the polls are most of
 * the script's work, on the two cores the system under test runs on.
 */
export class PollClient {
  private readonly agent: Agent;

  constructor(connections: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** The answer's status and body; null when there is none within `timeoutMs` (or no connection). */
  get(
    url: string,
    headers: Record<string, string> = {},
    timeoutMs = 5_000,
  ): Promise<{ status: number; body: string } | null> {
    return new Promise((resolve) => {
      const request = get(url, { agent: this.agent, headers, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        response.on('error', () => resolve(null));
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(null));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
