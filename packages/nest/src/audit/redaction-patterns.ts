import { SCANNER_REGEXPS, emailSpans, jwtSpans, replaceSpans, secretValueSpans, userinfoPasswordSpans } from './redaction-scanners.js';

/**
 * Value patterns the redaction engine removes from strings. Framework-free. Every pattern runs in
 * linear time: JWTs, `name=secret` pairs, URL passwords and e-mail addresses by hand-written scanners
 * (redaction-scanners.ts), the rest by regular expressions whose every attempt either fails within a few
 * characters or consumes what it read (checked with the `recheck` ReDoS analyser in
 * test/audit/redaction-redos.test.ts, and timed on hostile input in test/audit/redaction-linear.test.ts).
 * Strings are also capped in length before these run.
 */

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Bastion API keys: `bst_` + 16 lowercase hex (key id) + `_` + 43 base64url characters (32 random
 * bytes). After a word boundary the matcher is looser than the format, so that truncated or mangled keys
 * are caught too; glued to a word (`key_bst_…`) it needs the key id's exact shape, so that words such as
 * `subst_total_count` stay.
 */
export const API_KEY_PATTERN = /\bbst_[A-Za-z0-9_-]{12,200}|bst_[0-9a-f]{16}_[A-Za-z0-9_-]{8,200}/g;

// RFC 6750 §2.1 / RFC 7617 / RFC 9449 credentials after an auth scheme.
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|DPoP|Token|Negotiate)(\s+)[A-Za-z0-9\-._~+/]{4,8192}=*/gi;
// PEM private keys (PKCS#1, PKCS#8, SEC1, OpenSSH, encrypted), also when cut off before the END line.
const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g;
// 13 to 19 digits, optionally grouped by single spaces or dashes; checked with Luhn before redaction.
// Issuer prefixes 2–6 (Mastercard, Amex, Visa, Discover…) keep epoch-millisecond timestamps out.
const CARD = /\b[2-6](?:[ -]?\d){12,18}\b/g;

const SCHEME_HINT = /bearer|basic|digest|dpop|token|negotiate/i;
const KEY_HINT = /token|passw|pwd|secret|api[_-]?key|private[_-]?key|auth|cookie|signature/i;
// At least 13 digits with at most single separators between them, somewhere.
const CARD_HINT = /\d(?:[ -]?\d){12}/;

/** Every regular expression behind {@link redactPatterns}, by name (for the ReDoS check in the tests). */
export const REDACTION_REGEXPS: Readonly<Record<string, RegExp>> = {
  API_KEY_PATTERN,
  AUTH_SCHEME,
  PEM_PRIVATE,
  CARD,
  SCHEME_HINT,
  KEY_HINT,
  CARD_HINT,
  ...SCANNER_REGEXPS,
};

/** Luhn (ISO/IEC 7812-1) check over the digits of `candidate`. */
export function luhnValid(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export interface PatternOptions {
  /** Also redact e-mail addresses. */
  pii: boolean;
  /** Extra patterns (must have the `g` flag) whose matches are replaced. */
  extra: readonly RegExp[];
}

/** Replaces every secret-looking substring of `input`; see the patterns above. */
export function redactPatterns(input: string, options: PatternOptions): string {
  // Cheap guards first: most log strings (ids, paths, timestamps) hold none of the trigger substrings,
  // and a failed `includes`/short test costs far less than running every pattern.
  if (input.length < 6) return input;
  let out = input;
  if (out.includes('-----BEGIN')) out = out.replace(PEM_PRIVATE, `-----BEGIN $1PRIVATE KEY----- ${REDACTED}`);
  if (out.includes('eyJ')) out = replaceSpans(out, jwtSpans(out), REDACTED);
  if (SCHEME_HINT.test(out)) out = out.replace(AUTH_SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  if (out.includes('bst_')) out = out.replace(API_KEY_PATTERN, REDACTED);
  if (out.includes('://')) out = replaceSpans(out, userinfoPasswordSpans(out), REDACTED);
  if ((out.includes('=') || out.includes(':') || out.includes('%3')) && KEY_HINT.test(out)) out = replaceSpans(out, secretValueSpans(out), REDACTED);
  if (CARD_HINT.test(out)) out = out.replace(CARD, (m) => (luhnValid(m) ? REDACTED : m));
  if (options.pii && out.includes('@')) out = replaceSpans(out, emailSpans(out), REDACTED);
  for (const pattern of options.extra) out = out.replace(pattern, REDACTED);
  return out;
}
