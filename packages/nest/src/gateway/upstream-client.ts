import { Pool } from 'undici';
import { CircuitBreaker } from './circuit-breaker.js';
import type { ResolvedUpstream } from './validate-gateway-options.js';

/**
 * Everything the gateway keeps per upstream: its connection pool (undici, at most `concurrency`
 * connections), its circuit breaker and the count of requests in flight.
 */
export class UpstreamClient {
  readonly pool: Pool;
  readonly breaker: CircuitBreaker;
  private inFlight = 0;

  constructor(readonly upstream: ResolvedUpstream, now: () => number = () => Date.now()) {
    this.pool = new Pool(upstream.origin, {
      connections: upstream.concurrency,
      connect: { timeout: upstream.timeoutMs },
      headersTimeout: upstream.timeoutMs,
      bodyTimeout: upstream.timeoutMs,
    });
    this.breaker = new CircuitBreaker(upstream.breakerFailures, upstream.breakerOpenMs, now);
  }

  /** Takes one of the `concurrency` slots; false when all are taken. */
  tryEnter(): boolean {
    if (this.inFlight >= this.upstream.concurrency) return false;
    this.inFlight += 1;
    return true;
  }

  leave(): void {
    this.inFlight -= 1;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
