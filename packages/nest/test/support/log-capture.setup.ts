/**
 * Vitest setup file of the `nest` project: wraps every test file (the whole e2e suite included) in the
 * log-capture check. Everything written to stdout, stderr and the console is captured; tokens minted by
 * `TestIssuer` and secrets passed to `recordSecret()` are remembered; after the file's tests, any
 * captured line containing one of them (or shaped like a JWT, API key or private key) fails the file.
 * It also fails the file when a request got more than one rejection audit event, or one without a
 * reason code (the audit log's "exactly one event per rejection" rule, checked over every e2e suite).
 */
import { afterAll } from 'vitest';
import { findAuditViolations, findLeaks, formatLeaks, installCapture, uninstallCapture } from './log-capture.js';
import { clearSecrets, recordSecret } from './secrets.js';

installCapture();

const WRAPPED = Symbol.for('bastion.test.signWrapped');
// Loaded lazily so that this file keeps working while the testing entry point changes.
const testing = (await import('../../src/testing/index.js').catch(() => undefined)) as
  | { TestIssuer?: { prototype: Record<string | symbol, unknown> } }
  | undefined;
const proto = testing?.TestIssuer?.prototype;
if (proto && !proto[WRAPPED]) {
  proto[WRAPPED] = true;
  // Every method that mints a token (sign, signWith…): remember what it returns.
  for (const name of Object.getOwnPropertyNames(proto)) {
    const original = proto[name];
    if (typeof original !== 'function' || !/sign|mint|token/i.test(name) || name === 'constructor') continue;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      const remember = (value: unknown) => (typeof value === 'string' && recordSecret(value), value);
      return result instanceof Promise ? result.then(remember) : remember(result);
    };
  }
}

afterAll(() => {
  const leaks = findLeaks();
  const violations = findAuditViolations();
  uninstallCapture();
  clearSecrets();
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
  if (process.env.BASTION_AUDIT_CHECK === 'report' && violations.length > 0) console.warn(`AUDIT: ${violations.join('\n')}`);
  else if (violations.length > 0) throw new Error(`every rejection must have exactly one audit event with a reason code:\n${violations.slice(0, 20).join('\n')}`);
});
