/** What health checks and metrics read about one remote document or endpoint. */
export interface FetchStatus {
  /** Last success, ms since epoch; `undefined` before the first. */
  readonly lastSuccess: number | undefined;
  /** Last failure, ms since epoch; `undefined` when none happened. */
  readonly lastFailure: number | undefined;
  /** Operator message of the last failure (`HTTP 503`, `timed out after 5000 ms`): never a token, a body or a secret. */
  readonly lastError: string | undefined;
  readonly successes: number;
  readonly failures: number;
}

/** The outcomes of the calls to one remote document or endpoint (JWKS, discovery, introspection). */
export class FetchHistory implements FetchStatus {
  lastSuccess: number | undefined = undefined;
  lastFailure: number | undefined = undefined;
  lastError: string | undefined = undefined;
  successes = 0;
  failures = 0;

  succeeded(now: number): void {
    this.lastSuccess = now;
    this.successes++;
  }

  failed(now: number, error: unknown): void {
    this.lastFailure = now;
    this.failures++;
    // FetchFailure messages are written for operators; anything else is named only by its class.
    this.lastError = (error as Error)?.name === 'FetchFailure' ? (error as Error).message : ((error as Error)?.name ?? 'error');
  }

  /** A frozen copy. */
  status(): FetchStatus {
    const { lastSuccess, lastFailure, lastError, successes, failures } = this;
    return Object.freeze({ lastSuccess, lastFailure, lastError, successes, failures });
  }
}
