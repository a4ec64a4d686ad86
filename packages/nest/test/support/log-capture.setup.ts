/**
 * Vitest setup file of the `nest` project: wraps every test file (the whole e2e suite included) in the
 * log-capture check. Everything written to stdout, stderr and the console is captured; tokens minted by
 * `TestIssuer` and secrets passed to `recordSecret()` are remembered; after the file's tests, any
 * captured line containing one of them (or shaped like a JWT, API key or private key) fails the file.
 * It also fails the file when a request got more than one rejection audit event, or one without a
 * reason code (the audit log's "exactly one event per rejection" rule, checked over every e2e suite),
 * and when telemetry a test exported through `testTelemetry()` (support/telemetry.ts) has a metric
 * label or span attribute holding a known secret or a recorded identity (`recordIdentity()`: subjects,
 * client ids, client IPs).
 */
import { afterAll } from 'vitest';
import { findAuditViolations, findLeaks, findTelemetryLeaks, formatLeaks, installCapture, uninstallCapture } from './log-capture.js';
import { clearIdentities, clearSecrets, knownIdentities, knownSecrets, recordSecret } from './secrets.js';

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

// Read through the registry's global symbol, so files that export no telemetry do not load the SDK.
type ExportingTelemetry = { exportedValues(): Promise<{ where: string; value: string }[]> };
const telemetryOfFile = () => (globalThis as { [key: symbol]: Set<ExportingTelemetry> | undefined })[Symbol.for('bastion.test.telemetry')] ?? new Set<ExportingTelemetry>();

afterAll(async () => {
  const leaks = findLeaks();
  const violations = findAuditViolations();
  const exported = (await Promise.all([...telemetryOfFile()].map((t) => t.exportedValues()))).flat();
  const telemetryLeaks = findTelemetryLeaks(exported, knownSecrets(), knownIdentities());
  uninstallCapture();
  clearSecrets();
  clearIdentities();
  telemetryOfFile().clear();
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
  if (telemetryLeaks.length > 0) throw new Error(`exported telemetry holds secrets or identities:\n${telemetryLeaks.slice(0, 20).map((l) => `  ${l.where}: ${l.what}`).join('\n')}`);
  if (process.env.BASTION_AUDIT_CHECK === 'report' && violations.length > 0) console.warn(`AUDIT: ${violations.join('\n')}`);
  else if (violations.length > 0) throw new Error(`every rejection must have exactly one audit event with a reason code:\n${violations.slice(0, 20).join('\n')}`);
});
