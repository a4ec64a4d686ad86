import { REDACTED, redactPatterns } from './redaction-patterns.js';

/**
 * Options of the redaction engine. All limits bound the work done on one input, so that logging a
 * huge or hostile value costs bounded time.
 */
export interface RedactionOptions {
  /**
   * Extra key names whose values are always removed (compared case-insensitively, ignoring `-`, `_`
   * and spaces). Added to the built-in list (authorization, auth, cookie, set-cookie, password, secret,
   * token, api key, x-api-key, client secret, private key, signature, …).
   */
  keys?: readonly string[];
  /** Extra value patterns (need the `g` flag) replaced wherever they occur in strings. */
  patterns?: readonly RegExp[];
  /** Also redact e-mail addresses (personal data). Default `false`. */
  pii?: boolean;
  /** Deepest nesting kept; deeper values become `[Truncated]`. Default 10. */
  maxDepth?: number;
  /** Most values (object members, array items) visited per input; the rest become `[Truncated]`. Default 5,000. */
  maxNodes?: number;
  /** Longest string kept, in characters; longer strings are cut before redaction. Default 16,384. */
  maxStringLength?: number;
}

/** A function that returns a redacted copy of any value; never throws, never mutates its input. */
export type Redactor = (value: unknown) => unknown;

const TRUNCATED = '[Truncated]';
const CIRCULAR = '[Circular]';

// Normalised (lowercase, no `-`/`_`/space) names whose value is a secret whatever it looks like.
const SECRET_KEYS = [
  'authorization', 'proxyauthorization', 'auth', 'xauth', 'basicauth', 'cookie', 'setcookie', 'password', 'passwd',
  'pwd', 'passphrase', 'secret', 'token', 'apikey', 'xapikey', 'clientsecret', 'privatekey', 'credentials', 'sessionid',
  'accesstoken', 'refreshtoken', 'idtoken', 'bearer', 'xauthtoken', 'xcsrftoken', 'csrftoken', 'otp', 'pin', 'signature',
];
// Names ending like this are secrets too (`dbPassword`, `webhookSecret`, `githubToken`, `stripeApiKey`, `xHubSignature`).
const SECRET_SUFFIXES = ['password', 'secret', 'token', 'apikey', 'privatekey', 'passphrase', 'signature'];
// Node's flat `[name, value, name, value…]` header lists.
const FLAT_HEADER_LISTS = new Set(['rawHeaders', 'rawTrailers']);
// Private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
const JWK_PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']);

// Short plain identifiers (no dot, space or colon; under 13 characters) cannot hold any secret pattern.
const SIMPLE_KEY = /^[A-Za-z0-9_$-]*$/;
const normaliseKey = (key: string) => key.toLowerCase().replace(/[\s_-]/g, '');

/** Builds a redactor; build it once and reuse it. */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const exact = new Set([...SECRET_KEYS, ...(options.keys ?? []).map(normaliseKey)]);
  const maxDepth = options.maxDepth ?? 10;
  const maxNodes = options.maxNodes ?? 5_000;
  const maxString = options.maxStringLength ?? 16_384;
  const patternOptions = { pii: options.pii ?? false, extra: options.patterns ?? [] };

  // Key names repeat (the same event fields, the same headers): remember decisions, boundedly.
  const keyCache = new Map<string, boolean>();
  const isSecretKey = (key: string): boolean => {
    let secret = keyCache.get(key);
    if (secret === undefined) {
      const k = normaliseKey(key);
      secret = exact.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
      if (keyCache.size < 2_000) keyCache.set(key, secret);
    }
    return secret;
  };

  const redactString = (s: string): string => {
    const cut = s.length > maxString ? `${s.slice(0, maxString)}…${TRUNCATED}` : s;
    return redactPatterns(cut, patternOptions);
  };

  return (input: unknown): unknown => {
    let nodes = 0;
    const ancestors = new Set<object>();

    const visit = (value: unknown, depth: number): unknown => {
      if (++nodes > maxNodes) return TRUNCATED;
      switch (typeof value) {
        case 'string':
          return redactString(value);
        case 'number':
        case 'boolean':
        case 'undefined':
          return value;
        case 'bigint':
          return value.toString();
        case 'symbol':
          return value.toString();
        case 'function':
          return `[Function ${value.name || 'anonymous'}]`;
      }
      if (value === null) return null;
      const obj = value as object;
      if (ancestors.has(obj)) return CIRCULAR;
      if (depth >= maxDepth) return TRUNCATED;
      if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
      if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[Binary ${obj.byteLength} bytes]`;
      ancestors.add(obj);
      try {
        if (Array.isArray(obj)) return visitArray(obj, depth);
        if (obj instanceof Error) return visitError(obj, depth);
        if (obj instanceof Map) return visitEntries(obj.entries(), depth, false);
        if (obj instanceof Set) return visitArray([...iterateBounded(obj.values())], depth);
        return visitEntries(ownEntries(obj), depth, isJwk(obj));
      } finally {
        ancestors.delete(obj);
      }
    };

    /** `pairs`: a flat `[name, value, …]` list, whose values are judged by the name before them. */
    const visitArray = (arr: readonly unknown[], depth: number, pairs = false): unknown[] => {
      const out: unknown[] = [];
      for (let i = 0; i < arr.length; i++) {
        if (nodes >= maxNodes) {
          out.push(TRUNCATED);
          break;
        }
        const item = arr[i];
        const name = pairs && i % 2 === 1 ? arr[i - 1] : undefined;
        if (typeof name === 'string' && isSecretKey(name)) {
          ++nodes;
          out.push(REDACTED);
        } else if (isSecretEntry(item)) {
          // An entry `[name, value]` (Map/Headers entries, Object.entries): the name decides, as for a key.
          nodes += 2;
          out.push([item[0], REDACTED]);
        } else {
          out.push(visit(item, depth + 1));
        }
      }
      return out;
    };

    const isSecretEntry = (item: unknown): item is [string, unknown] =>
      Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && isSecretKey(item[0]);

    const visitEntries = (entries: Iterable<[unknown, unknown]>, depth: number, jwk: boolean) => {
      const out: Record<string, unknown> = {};
      for (const [rawKey, v] of entries) {
        if (nodes >= maxNodes) {
          out['…'] = TRUNCATED;
          break;
        }
        const key = typeof rawKey === 'string' && rawKey.length < 13 && SIMPLE_KEY.test(rawKey) ? rawKey : redactString(String(rawKey));
        if (isSecretKey(key) || (jwk && JWK_PRIVATE_MEMBERS.has(key))) out[key] = (++nodes, REDACTED);
        else if (FLAT_HEADER_LISTS.has(key) && Array.isArray(v) && depth + 1 < maxDepth && ++nodes <= maxNodes) out[key] = visitArray(v, depth + 1, true);
        else out[key] = visit(v, depth + 1);
      }
      return out;
    };

    const visitError = (error: Error, depth: number) => {
      const out: Record<string, unknown> = { name: error.name, message: redactString(String(error.message)) };
      if (error.stack) out.stack = redactString(error.stack);
      const extra = visitEntries(ownEntries(error), depth, false);
      delete extra.stack;
      delete extra.message;
      Object.assign(out, extra);
      if (error.cause !== undefined) out.cause = visit(error.cause, depth + 1);
      return out;
    };

    return visit(input, 0);
  };
}

function isJwk(obj: object): boolean {
  return typeof (obj as { kty?: unknown }).kty === 'string';
}

function* ownEntries(obj: object): Generator<[string, unknown]> {
  // for…in stops early when the caller breaks, unlike Object.entries on a million-key object.
  for (const key in obj) {
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      let value: unknown;
      try {
        value = (obj as Record<string, unknown>)[key];
      } catch {
        value = '[Unreadable]';
      }
      yield [key, value];
    }
  }
}

function* iterateBounded<T>(it: Iterator<T>, max = 100_000): Generator<T> {
  for (let i = 0; i < max; i++) {
    const next = it.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The redactor with default options, for Bastion's own logs. */
export const defaultRedactor: Redactor = createRedactor();

/** Redacts one string with the default options (patterns only: strings carry no key names). */
export function redactText(text: string, redactor: Redactor = defaultRedactor): string {
  return redactor(text) as string;
}
