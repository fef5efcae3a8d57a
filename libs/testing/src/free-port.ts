import { createServer } from 'node:net';

/**
 * Ports for servers that tests and benchmarks start a moment after choosing them: below the
 * kernel's ephemeral range (Linux hands out 32768–60999, macOS 49152–65535, to outgoing
 * connections too), and above the fixed ports of this machine's servers (Postgres, Kafka,
 * Redis, Zipkin…). A port the kernel picks (`listen(0)`) comes from the ephemeral range, and one
 * of the many connections a system opens while it starts can take it before its server binds it:
 * CI saw a directory exit with EADDRINUSE on such a port 30 s after it was chosen.
 */
const FIRST = 20_000;
const LAST = 32_767;

/** Ports this process handed out already: not handed out twice, even if not bound yet. */
const handedOut = new Set<number>();

/** A TCP port on 127.0.0.1 that nothing listens on now and that this process has not handed out. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST + 1));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${FIRST} and ${LAST} after 200 tries`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
