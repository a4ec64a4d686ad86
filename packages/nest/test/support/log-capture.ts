import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { format } from 'node:util';
import { knownSecrets } from './secrets.js';

/** One captured write: which stream, and the text. */
export interface CapturedLine {
  stream: 'stdout' | 'stderr' | 'console';
  text: string;
}

interface CaptureState {
  lines: CapturedLine[];
  restore: () => void;
}

const KEY = Symbol.for('bastion.test.logCapture');
const state = () => (globalThis as { [KEY]?: CaptureState })[KEY];

// Shapes that are secrets whether or not a test recorded them.
const SECRET_SHAPES: [string, RegExp][] = [
  ['JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['Bastion API key', /bst_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}/],
  ['PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/]{16,}/],
];

/**
 * Starts capturing everything written to `process.stdout`, `process.stderr` and `console` in this
 * worker. Output is swallowed (tests stay quiet) unless `BASTION_TEST_LOGS=1`, except `console.warn`
 * and `console.error`, which still reach vitest so that skip notices stay visible. Idempotent.
 */
export function installCapture(): void {
  if (state()) return;
  const lines: CapturedLine[] = [];
  const passThrough = process.env.BASTION_TEST_LOGS === '1';
  const patchStream = (name: 'stdout' | 'stderr') => {
    const stream = process[name];
    const original = stream.write;
    stream.write = function (chunk: unknown, ...rest: unknown[]): boolean {
      lines.push({ stream: name, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8') });
      if (passThrough) return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) queueMicrotask(callback);
      return true;
    } as typeof stream.write;
    return () => (stream.write = original);
  };
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      lines.push({ stream: 'console', text: format(...args) });
      if (passThrough || m === 'warn' || m === 'error') (originals[i] as (...a: unknown[]) => void).apply(console, args);
    };
  });
  const restoreOut = patchStream('stdout');
  const restoreErr = patchStream('stderr');
  (globalThis as { [KEY]?: CaptureState })[KEY] = {
    lines,
    restore: () => {
      restoreOut();
      restoreErr();
      methods.forEach((m, i) => (console[m] = originals[i]!));
      delete (globalThis as { [KEY]?: CaptureState })[KEY];
    },
  };
}

/** Stops capturing and restores the streams. */
export function uninstallCapture(): void {
  state()?.restore();
}

/** Everything captured so far. */
export function capturedLines(): readonly CapturedLine[] {
  return state()?.lines ?? [];
}

/** Captured lines that parse as JSON audit events (the default audit sink writes them to stdout). */
export function capturedAuditEvents(): Record<string, any>[] {
  const events: Record<string, any>[] = [];
  for (const { stream, text } of capturedLines()) {
    if (stream !== 'stdout') continue;
    for (const line of text.split('\n')) {
      if (!line.startsWith('{"type":')) continue;
      try {
        events.push(JSON.parse(line));
      } catch {
        // not an audit line
      }
    }
  }
  return events;
}

// Events about a client or a trend rather than about one request's outcome; they may share the request id
// of the failure that triggered them.
const DERIVED_EVENTS = new Set(['client.blocked', 'alert.raised', 'token.revoked', 'configuration.warning']);

/**
 * Requests that got more than one rejection event (outcome `failure`/`denied`) or a rejection event
 * without a reason code: every rejection must be audited exactly once, with its precise reason.
 */
export function findAuditViolations(events: Record<string, any>[] = capturedAuditEvents()): string[] {
  const byRequest = new Map<string, Record<string, any>[]>();
  const problems: string[] = [];
  for (const e of events) {
    if (DERIVED_EVENTS.has(e.type) || (e.outcome !== 'failure' && e.outcome !== 'denied')) continue;
    if (typeof e.reason !== 'string' || !/^ERR_[A-Z0-9_]+$/.test(e.reason)) problems.push(`${e.type} without a reason code (request ${e.requestId})`);
    if (!e.requestId) continue;
    byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), e]);
  }
  for (const [id, list] of byRequest) {
    if (list.length > 1) problems.push(`request ${id}: ${list.length} rejection events (${list.map((e) => `${e.type}/${e.reason}`).join(', ')})`);
  }
  return problems;
}

/** Drops captured lines matching `predicate` (for tests that leak on purpose to test the checker). */
export function dropCaptured(predicate: (line: CapturedLine) => boolean): void {
  const lines = state()?.lines;
  if (!lines) return;
  const keep = lines.filter((l) => !predicate(l));
  lines.length = 0;
  lines.push(...keep);
}

/** A leak: which secret (masked) or secret shape, in which stream, with the line masked. */
export interface Leak {
  what: string;
  stream: CapturedLine['stream'];
  excerpt: string;
}

const mask = (s: string) => `${s.slice(0, 4)}…(${s.length} chars)`;

/** Searches every captured line for every known secret and for secret shapes. */
export function findLeaks(lines: readonly CapturedLine[] = capturedLines(), secrets: readonly string[] = knownSecrets()): Leak[] {
  const leaks: Leak[] = [];
  for (const { stream, text } of lines) {
    for (const secret of secrets) {
      if (text.includes(secret)) leaks.push({ what: `secret ${mask(secret)}`, stream, excerpt: excerpt(text, secret) });
    }
    for (const [name, shape] of SECRET_SHAPES) {
      const m = shape.exec(text);
      if (m) leaks.push({ what: name, stream, excerpt: excerpt(text, m[0]) });
    }
  }
  return leaks;
}

function excerpt(text: string, secret: string): string {
  const i = text.indexOf(secret);
  const before = text.slice(Math.max(0, i - 80), i);
  const after = text.slice(i + secret.length, i + secret.length + 80);
  return `${before}<<${mask(secret)}>>${after}`.replace(/\s+/g, ' ');
}

/** A telemetry value (metric label, span attribute) that holds a secret or names who a test acted as. */
export interface TelemetryLeak {
  what: string;
  where: string;
}

/**
 * Searches exported telemetry for every known secret (and secret shapes) and every recorded identity
 * (subject, client id, IP): no metric label and no span attribute may hold one.
 */
export function findTelemetryLeaks(
  values: readonly { where: string; value: string }[],
  secrets: readonly string[] = knownSecrets(),
  identities: readonly [string, boolean][] = [],
): TelemetryLeak[] {
  const leaks: TelemetryLeak[] = [];
  for (const { where, value } of values) {
    for (const secret of secrets) if (value.includes(secret)) leaks.push({ what: `secret ${mask(secret)}`, where });
    for (const [name, shape] of SECRET_SHAPES) if (shape.test(value)) leaks.push({ what: name, where });
    for (const [identity, exact] of identities) if (exact ? value === identity : value.includes(identity)) leaks.push({ what: `identity ${mask(identity)}`, where });
  }
  return leaks;
}

/** Error message listing leaks (secrets masked, so the failure report does not leak them either). */
export function formatLeaks(leaks: readonly Leak[]): string {
  return [`${leaks.length} secret(s) found in captured output:`, ...leaks.slice(0, 20).map((l) => `  [${l.stream}] ${l.what}: ${l.excerpt}`)].join('\n');
}

const ALL_LEVELS: LogLevel[] = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'];

/** The logger test apps run with: Nest's real console logger at every level, output captured. */
export function testLogger(): ConsoleLogger {
  return new ConsoleLogger({ colors: false, logLevels: ALL_LEVELS });
}
