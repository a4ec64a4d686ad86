/**
 * Says once, on the first request that carries forwarding headers (`X-Forwarded-*`, `Forwarded`) from a
 * peer that is not a trusted proxy, that they are ignored: behind a load balancer missing from
 * `trustedProxies`, every client shares the balancer's address and budget. Names the peer and the
 * option, never a header value (a client wrote those).
 */
export class UntrustedForwardingWarning {
  private warned = false;

  constructor(private readonly warn: (message: string) => void) {}

  notice(peer: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(
      `a request from ${peer} carried forwarding headers (X-Forwarded-* or Forwarded), but ${peer} is not in the "trustedProxies" option, so they are ignored ` +
        `and every client behind it shares its address and rate-limit budget. If ${peer} is your load balancer or proxy, add its address or range to "trustedProxies". (Logged once.)`,
    );
  }
}
