import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';

/**
 * Raised by the framework-free input checks (body, query, content type). Carries a public `code` and an
 * internal `reason` for the audit log; adapters turn it into a `BastionException`. It also exposes
 * `status`, so even an unconverted instance never becomes a 500.
 */
export class InputRejected extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'InputRejected';
    this.status = ERROR_CODES[code].status;
  }
}
