import { HttpException } from '@nestjs/common';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/**
 * Parameters of an RFC 6750 §3 `WWW-Authenticate: Bearer` challenge (realm is added by the filter). The
 * RFC 9449 §7.1 errors `invalid_dpop_proof` and `use_dpop_nonce` only ever go on a `DPoP` challenge.
 */
export interface BearerChallenge {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce';
  scope?: string;
}

export interface BastionExceptionOptions {
  /** Internal reason for the audit log (e.g. `ERR_TOKEN_EXPIRED`); never sent to the client. */
  reason?: string;
  cause?: unknown;
  challenge?: BearerChallenge;
  /** Extra public members of the problem document (e.g. validation `errors`). Must never echo input. */
  extensions?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Extra fields for the audit event's `details` (identifiers and short reasons only); never sent to the client. */
  details?: Record<string, unknown>;
}

/**
 * Base of every error Bastion raises. Extends Nest's `HttpException`, so the status is right even where
 * Bastion's filter is not in use; the filter turns it into RFC 9457 problem details.
 */
export class BastionException extends HttpException {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly challenge: BearerChallenge | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: BastionExceptionOptions = {}) {
    const entry = ERROR_CODES[code];
    super({ code, title: entry.title }, entry.status, { cause: options.cause });
    this.name = 'BastionException';
    this.code = code;
    this.reason = options.reason;
    this.challenge = options.challenge;
    this.extensions = options.extensions;
    this.headers = options.headers;
    this.details = options.details;
  }
}

/** 401 without a credential: the client must authenticate. */
export class UnauthenticatedException extends BastionException {
  constructor(options: Omit<BastionExceptionOptions, 'challenge'> = {}) {
    super('ERR_UNAUTHENTICATED', { ...options, challenge: {} });
    this.name = 'UnauthenticatedException';
  }
}

/**
 * 401 for a presented credential that is invalid for any reason. Identical on the wire whatever the
 * reason (no oracle); `reason` carries the precise cause to the audit log.
 */
export class InvalidTokenException extends BastionException {
  constructor(reason: string, cause?: unknown, details?: Record<string, unknown>) {
    super('ERR_INVALID_TOKEN', { reason, cause, details, challenge: { error: 'invalid_token' } });
    this.name = 'InvalidTokenException';
  }
}

/** 400 `invalid_request` (RFC 6750 §3.1): credentials presented in a malformed or ambiguous way. */
export class InvalidRequestException extends BastionException {
  constructor(reason: string) {
    super('ERR_INVALID_REQUEST', { reason, challenge: { error: 'invalid_request' } });
    this.name = 'InvalidRequestException';
  }
}
