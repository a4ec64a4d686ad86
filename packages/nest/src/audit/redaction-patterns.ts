/**
 * Value patterns the redaction engine removes from strings. Framework-free. Every quantifier is bounded
 * so that a hostile string costs at most linear time times a small constant (no catastrophic
 * backtracking); strings are also capped in length before these run.
 */

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Bastion API keys: `bst_` + 16 lowercase hex (key id) + `_` + 43 base64url characters (32 random
 * bytes). The matcher is looser than the format so that truncated or mangled keys are caught too.
 */
export const API_KEY_PATTERN = /\bbst_[A-Za-z0-9_-]{12,200}/g;

// JWS compact (3 parts) or JWE compact (5 parts); every JOSE header starts with `{"` → `eyJ`.
const JWT = /\beyJ[A-Za-z0-9_-]{2,8192}(?:\.[A-Za-z0-9_-]{0,16384}){2,4}/g;
// RFC 6750 §2.1 / RFC 7617 / RFC 9449 credentials after an auth scheme.
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|DPoP|Token|Negotiate)(\s+)[A-Za-z0-9\-._~+/]{4,8192}=*/gi;
// PEM private keys (PKCS#1, PKCS#8, SEC1, OpenSSH, encrypted), also when cut off before the END line.
const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g;
// `password=…`, `"client_secret": "…"`, `api-key: …` written into free text (messages, URLs, stacks).
// The value runs to whitespace, a quote or a delimiter — not to `&`: over-redacting the rest of a query
// string is better than leaking the tail of a secret that contains `&`.
const KEY_VALUE =
  /(["']?)\b([A-Za-z0-9_-]{0,24}?(?:token|password|passwd|pwd|secret|api[_-]?key|private[_-]?key|authorization|cookie))\1(\s{0,4}[=:]\s{0,4})(["']?)[^\s"',;{}[\]]{1,8192}/gi;
// Credentials in URL userinfo (RFC 3986 §3.2.1, deprecated but common in connection strings).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,20}:\/\/[^\s:/@]{0,128}:)[^\s/@]{1,256}@/gi;
// 13 to 19 digits, optionally grouped by single spaces or dashes; checked with Luhn before redaction.
// Issuer prefixes 2–6 (Mastercard, Amex, Visa, Discover…) keep epoch-millisecond timestamps out.
const CARD = /\b[2-6](?:[ -]?\d){12,18}\b/g;
// Bounded local part and domain (RFC 5321 §4.5.3.1 limits) keep this linear.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;

const SCHEME_HINT = /bearer|basic|digest|dpop|token|negotiate/i;
const KEY_HINT = /token|passw|pwd|secret|api[_-]?key|private[_-]?key|authorization|cookie/i;
// At least 13 digits with at most single separators between them, somewhere.
const CARD_HINT = /\d(?:[ -]?\d){12}/;

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
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
  if (SCHEME_HINT.test(out)) out = out.replace(AUTH_SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  if (out.includes('bst_')) out = out.replace(API_KEY_PATTERN, REDACTED);
  if (out.includes('://')) out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
  if ((out.includes('=') || out.includes(':')) && KEY_HINT.test(out)) {
    out = out.replace(KEY_VALUE, (_m, q1: string, key: string, sep: string, q2: string) => `${q1}${key}${q1}${sep}${q2}${REDACTED}`);
  }
  if (CARD_HINT.test(out)) out = out.replace(CARD, (m) => (luhnValid(m) ? REDACTED : m));
  if (options.pii && out.includes('@')) out = out.replace(EMAIL, REDACTED);
  for (const pattern of options.extra) out = out.replace(pattern, REDACTED);
  return out;
}
