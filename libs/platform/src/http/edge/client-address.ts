import { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * The address of the client a request comes from: the peer, or, when the peer is a trusted proxy
 * (the portal, an ingress: TRUST_PROXY), the address that proxy says it forwards for, read from
 * X-Forwarded-For from the right, skipping trusted hops. Works on both HTTP adapters (raw request).
 */
export function clientAddressResolver(trusted: readonly string[]): (request: IncomingMessage) => string {
  const trust = proxyAddr.compile([...trusted]);
  return (request) => proxyAddr(request, trust);
}
