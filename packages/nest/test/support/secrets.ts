/**
 * Registry of every secret the tests use (tokens, API keys, passwords, HMAC secrets, private keys), so
 * that the log-capture check can search all captured output for each of them. Kept on `globalThis` so
 * the setup file and the test file share it whatever module instance they load.
 */
const KEY = Symbol.for('bastion.test.secrets');
type Registry = Set<string>;

function registry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  return (g[KEY] ??= new Set());
}

/** Records `value` as a secret that must never appear in any log; returns it for inline use. */
export function recordSecret<T extends string>(value: T): T {
  if (typeof value === 'string' && value.length >= 6) registry().add(value);
  return value;
}

/** Every recorded secret, plus the distinctive parts of each (a JWT's signature and payload). */
export function knownSecrets(): string[] {
  const out = new Set<string>();
  for (const s of registry()) {
    out.add(s);
    const parts = s.split('.');
    if (parts.length === 3 || parts.length === 5) {
      for (const part of parts.slice(1)) if (part.length >= 16) out.add(part);
    }
  }
  return [...out];
}

/** Forgets every secret (between test files). */
export function clearSecrets(): void {
  registry().clear();
}

const IDENTITIES = Symbol.for('bastion.test.identities');

function identities(): Map<string, boolean> {
  const g = globalThis as { [IDENTITIES]?: Map<string, boolean> };
  return (g[IDENTITIES] ??= new Map());
}

/**
 * Records who a test acts as — a subject, client id or client IP — so that the telemetry check can prove
 * no metric label or span attribute names it. `exact`: only a value equal to it counts (for IPs, which
 * legitimately appear inside issuer URLs); otherwise any value containing it does.
 */
export function recordIdentity<T extends string>(value: T, options: { exact?: boolean } = {}): T {
  if (typeof value === 'string' && value.length > 0) identities().set(value, options.exact === true);
  return value;
}

/** Every recorded identity, with whether it must match exactly. */
export function knownIdentities(): [string, boolean][] {
  return [...identities()];
}

/** Forgets every identity (between test files). */
export function clearIdentities(): void {
  identities().clear();
}
