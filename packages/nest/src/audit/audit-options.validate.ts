import { BastionConfigError, assertOptionalBoolean, assertOptionalObject, assertPositiveNumber, isPlainObject } from '../options/assert.js';
import type { AuditOptions } from './audit-options.js';

/** Validates `audit` at boot. */
export function validateAuditOptions(audit: AuditOptions | undefined): void {
  if (audit === undefined) return;
  if (!isPlainObject(audit)) throw new BastionConfigError('audit', 'must be an object');
  const sink = audit.sink;
  const ok =
    sink === undefined || sink === false || sink === 'stdout' || sink === 'logger' || typeof sink === 'function' ||
    (typeof sink === 'object' && sink !== null && (typeof (sink as { write?: unknown }).write === 'function' || typeof (sink as { log?: unknown }).log === 'function'));
  if (!ok) throw new BastionConfigError('audit.sink', 'must be "stdout", "logger", false, a LoggerService, an AuditSink or a function');
  assertOptionalBoolean(audit.successes, 'audit.successes');
  assertOptionalObject(audit.redaction, 'audit.redaction');
  const r = audit.redaction;
  if (!r) return;
  if (r.keys !== undefined && (!Array.isArray(r.keys) || r.keys.some((k) => typeof k !== 'string' || k === ''))) {
    throw new BastionConfigError('audit.redaction.keys', 'must be an array of non-empty strings');
  }
  if (r.patterns !== undefined && (!Array.isArray(r.patterns) || r.patterns.some((p) => !(p instanceof RegExp) || !p.global))) {
    throw new BastionConfigError('audit.redaction.patterns', 'must be an array of RegExp with the "g" flag');
  }
  assertOptionalBoolean(r.pii, 'audit.redaction.pii');
  assertPositiveNumber(r.maxDepth, 'audit.redaction.maxDepth');
  assertPositiveNumber(r.maxNodes, 'audit.redaction.maxNodes');
  assertPositiveNumber(r.maxStringLength, 'audit.redaction.maxStringLength');
}
