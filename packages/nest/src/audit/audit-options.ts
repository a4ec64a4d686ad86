import { Logger, type LoggerService } from '@nestjs/common';
import { FunctionAuditSink, JsonLinesAuditSink, LoggerAuditSink, type AuditSink } from './audit-sink.js';
import { createRedactor, type RedactionOptions } from './redactor.js';
import type { SecurityEvent, SecurityEventType } from './security-event.js';

/**
 * Where security events are written, and how they are redacted.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ jwt: {…}, audit: { sink: 'logger', redaction: { pii: true, keys: ['ssn'] } } });
 * BastionModule.forRoot({ jwt: {…}, audit: { sink: (event) => siem.send(event) } });
 * ```
 */
export interface AuditOptions {
  /**
   * `'stdout'` (default): one JSON line per event on standard output. `'logger'`: through Nest's
   * `Logger` (context `BastionAudit`). A `LoggerService`, an {@link AuditSink} (`write(event)`), or a
   * function: your own. `false`: no audit log (subscribers to `SecurityEvents` still get events).
   */
  sink?: 'stdout' | 'logger' | false | LoggerService | AuditSink | ((event: SecurityEvent) => void);
  /** Redaction applied to every event (and alert payload) before it leaves Bastion. */
  redaction?: RedactionOptions;
  /**
   * Also write `authentication.succeeded` events to the sink. Default `false`: a token verified on every
   * request is access logging, not a security event worth a line each (measured: ~90 µs of CPU per request,
   * a third of a protected route's throughput on Fastify). Failures, denials, throttling and alerts are always
   * written; subscribers to `SecurityEvents` receive successes either way.
   */
  successes?: boolean;
}

/** Builds the configured sink (`null` when disabled). */
export function createAuditSink(options: AuditOptions = {}): AuditSink | null {
  const sink = buildSink(options);
  if (!sink || options.successes === true) return sink;
  const accepts = (type: SecurityEventType) => type !== 'authentication.succeeded';
  return { write: (event) => accepts(event.type) && sink.write(event), accepts };
}

function buildSink(options: AuditOptions): AuditSink | null {
  const redact = createRedactor(options.redaction);
  const sink = options.sink ?? 'stdout';
  if (sink === false) return null;
  if (sink === 'stdout') return new JsonLinesAuditSink(redact);
  if (sink === 'logger') return new LoggerAuditSink(redact, new Logger('BastionAudit'), 'BastionAudit');
  if (typeof sink === 'function') return new FunctionAuditSink(redact, sink);
  if (typeof (sink as AuditSink).write === 'function') {
    const user = sink as AuditSink;
    return { write: (event) => user.write(redact(event) as SecurityEvent) };
  }
  return new LoggerAuditSink(redact, sink as LoggerService);
}
