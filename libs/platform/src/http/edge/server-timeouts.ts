import { Server } from 'node:http';

/**
 * Timeouts of the HTTP server under either adapter. An idle keep-alive connection is kept longer
 * than clients and load balancers keep theirs (Node's own default, 5 s, is shorter: a client
 * reusing a connection just as the server closes it sees a reset). Headers must arrive within a
 * little more than that; a whole request within 30 s.
 */
export function applyServerTimeouts(server: Server, keepAliveTimeoutMs: number): void {
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = keepAliveTimeoutMs + 5_000;
  server.requestTimeout = Math.max(30_000, server.headersTimeout + 1_000);
}
