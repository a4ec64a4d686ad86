/** One quota as advertised to clients. */
export interface QuotaState {
  /** Policy name (the throttler's name). */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  /** Window, ms. */
  windowMs: number;
  /** Requests left in the current window. */
  remaining: number;
  /** Ms until the window resets (or the block ends). */
  resetMs: number;
}

// Throttler names come from configuration (a handful): each is escaped once, not on every response.
const quoted = new Map<string, string>();

/** An RFC 9651 sf-string for the policy name (quoted; `"` and `\` escaped, non-printables dropped). */
function policyName(name: string): string {
  let value = quoted.get(name);
  if (value === undefined) {
    const printable = name.replace(/[^\x20-\x7e]/g, '');
    value = `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    if (quoted.size < 64) quoted.set(name, value);
  }
  return value;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * `RateLimit-Policy` and `RateLimit` field values (draft-ietf-httpapi-ratelimit-headers-10 §3, §4):
 * lists of named items, e.g. `"default";q=1000;w=60` and `"default";r=998;t=42`. `q` quota units,
 * `w` window seconds, `r` remaining units, `t` seconds until the quota resets.
 */
export function rateLimitHeaders(quotas: readonly QuotaState[]): { 'RateLimit-Policy': string; RateLimit: string } {
  if (quotas.length === 1) {
    // The usual case (one budget per request): no intermediate arrays.
    const q = quotas[0]!;
    const name = policyName(q.name);
    return { 'RateLimit-Policy': `${name};q=${q.limit};w=${seconds(q.windowMs)}`, RateLimit: `${name};r=${Math.max(0, q.remaining)};t=${seconds(q.resetMs)}` };
  }
  const policies = quotas.map((q) => `${policyName(q.name)};q=${q.limit};w=${seconds(q.windowMs)}`);
  const states = quotas.map((q) => `${policyName(q.name)};r=${Math.max(0, q.remaining)};t=${seconds(q.resetMs)}`);
  return { 'RateLimit-Policy': policies.join(', '), RateLimit: states.join(', ') };
}

/** `Retry-After` delay-seconds (RFC 9110 §10.2.3): at least 1, so clients never retry at once. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
