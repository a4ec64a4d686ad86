import { Inject, type LoggerService } from '@nestjs/common';
import type { Redactor } from './redactor.js';
import type { SecurityEvent, SecurityEventType } from './security-event.js';

/**
 * Port: where audit events go. One call per event; implementations must not throw and must not block
 * (buffer or drop instead). Provide your own with the {@link AUDIT_SINK} token or `audit.sink`.
 */
export interface AuditSink {
  write(event: SecurityEvent): void;
  /** Whether events of `type` are written at all. Optional (default: all are); lets Bastion skip building events nobody takes. */
  accepts?(type: SecurityEventType): boolean;
}

/** Injection token for the configured {@link AuditSink}. */
export const AUDIT_SINK = Symbol('BASTION_AUDIT_SINK');

/** Parameter decorator injecting the configured {@link AuditSink} (`null` when `audit.sink` is `false`). */
export const InjectAuditSink = (): PropertyDecorator & ParameterDecorator => Inject(AUDIT_SINK);

/** Something with a Node-stream-like `write` (process.stdout, a file stream, a test buffer). */
export interface LineWriter {
  write(chunk: string): unknown;
}

/** Serialises one event as one line of JSON, redacted. Newlines inside values are escaped by JSON. */
export function auditLine(event: SecurityEvent, redact: Redactor): string {
  return JSON.stringify(redact(event));
}

/**
 * The default sink: one JSON object per line (JSON Lines) on a stream, `process.stdout` by default,
 * so that the platform's log shipper picks it up. The stream is resolved at write time, so a test or
 * a log router that replaces `process.stdout.write` later still sees the lines.
 */
export class JsonLinesAuditSink implements AuditSink {
  constructor(
    private readonly redact: Redactor,
    private readonly stream: () => LineWriter = () => process.stdout,
  ) {}

  write(event: SecurityEvent): void {
    this.stream().write(`${auditLine(event, this.redact)}\n`);
  }
}

/** Sends each event as one JSON line to a Nest `LoggerService` (`log` level, context `BastionAudit`). */
export class LoggerAuditSink implements AuditSink {
  constructor(
    private readonly redact: Redactor,
    private readonly logger: LoggerService,
    private readonly context = 'BastionAudit',
  ) {}

  write(event: SecurityEvent): void {
    this.logger.log(auditLine(event, this.redact), this.context);
  }
}

/** Wraps a user function; the event it receives is already redacted. */
export class FunctionAuditSink implements AuditSink {
  constructor(
    private readonly redact: Redactor,
    private readonly fn: (event: SecurityEvent) => void,
  ) {}

  write(event: SecurityEvent): void {
    this.fn(this.redact(event) as SecurityEvent);
  }
}
