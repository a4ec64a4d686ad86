/** State of a {@link CircuitBreaker}. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Fails fast while an upstream is down: `failures` consecutive failures open the circuit; for `openMs`
 * every request is refused at once; then one probe request is let through (half-open) — its success
 * closes the circuit, its failure opens it again. Time comes from `now` (tests move the clock).
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt = 0;
  private probing = false;
  private state: CircuitState = 'closed';

  constructor(
    private readonly failures: number,
    private readonly openMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The current state (an open circuit whose time is up reads as half-open). */
  get current(): CircuitState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.openMs) return 'half-open';
    return this.state;
  }

  /** Whether a request may go upstream now; a `true` in half-open state makes it the probe. */
  tryAcquire(): boolean {
    const state = this.current;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.state = 'half-open';
    this.probing = true;
    return true;
  }

  /** Milliseconds until a probe may go (for `Retry-After`). */
  retryAfterMs(): number {
    return Math.max(0, this.openMs - (this.now() - this.openedAt));
  }

  /** Ends a request that says nothing about the upstream's health (the caller's fault): a probe slot is freed. */
  release(): void {
    this.probing = false;
  }

  onSuccess(): void {
    this.consecutive = 0;
    this.probing = false;
    this.state = 'closed';
  }

  onFailure(): void {
    this.probing = false;
    this.consecutive += 1;
    if (this.state === 'half-open' || this.consecutive >= this.failures) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }
}
