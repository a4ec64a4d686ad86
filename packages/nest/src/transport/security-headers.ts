import type { ServerResponse } from 'node:http';
import type { SecurityHeadersOptions } from './transport-options.js';

/**
 * The API preset of the OWASP Secure Headers Project (headers_add, 2024-07-19), adapted to JSON APIs:
 * the CSP forbids everything (a JSON response never needs to load, run or frame anything), and
 * `Clear-Site-Data` is left out (sent on every response it would wipe the caller's cookies and storage).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy':
    'accelerometer=(), autoplay=(), camera=(), cross-origin-isolated=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), keyboard-map=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(self), usb=(), web-share=(), xr-spatial-tracking=(), clipboard-read=(), clipboard-write=(), gamepad=(), hid=(), idle-detection=(), interest-cohort=(), serial=(), unload=()',
  'Referrer-Policy': 'no-referrer',
  // RFC 6797 §8.1: browsers ignore HSTS received over plain HTTP, so sending it always is harmless.
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Permitted-Cross-Domain-Policies': 'none',
};

/** Fingerprinting headers removed from every response (OWASP headers_remove, the ones Node stacks emit). */
export const REMOVED_HEADERS: ReadonlySet<string> = new Set([
  'x-powered-by',
  'server',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-generator',
  'x-framework',
  'x-runtime',
  'x-redirect-by',
  'x-server-powered-by',
  'x-sourcemap',
  'sourcemap',
]);

/** The preset with the app's overrides applied; `false` for the whole option gives none. */
export function apiSecurityHeaders(overrides: SecurityHeadersOptions | false | undefined): Array<[string, string]> {
  if (overrides === false) return [];
  const merged = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) merged.set(name.toLowerCase(), [name, value]);
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === false) merged.delete(name.toLowerCase());
    else merged.set(name.toLowerCase(), [name, value]);
  }
  return [...merged.values()];
}

const ORIGINAL_WRITE_HEAD = Symbol('bastion.writeHead');
/** Marks the `writeHead` functions that strip, wherever they are installed (a response or a prototype). */
const STRIPS = Symbol('bastion.stripsFingerprints');
type StrippingResponse = ServerResponse & { [ORIGINAL_WRITE_HEAD]?: ServerResponse['writeHead'] };
type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/**
 * Removes the fingerprinting headers already set on `res` and those in `writeHead`'s own headers
 * argument (an object, or Node's flat `[name, value, …]` array, which is replaced by a filtered copy).
 */
function stripBeforeWriteHead(res: ServerResponse, args: unknown[]): void {
  // Only the names present (lower-case, one array): cheaper than one removeHeader() per listed name.
  for (const name of res.getHeaderNames()) if (REMOVED_HEADERS.has(name)) res.removeHeader(name);
  for (let i = 1; i < args.length; i++) {
    const headers = args[i];
    if (typeof headers !== 'object' || headers === null) continue;
    if (Array.isArray(headers)) {
      let kept: unknown[] | undefined;
      for (let n = 0; n + 1 < headers.length; n += 2) {
        const removed = typeof headers[n] === 'string' && REMOVED_HEADERS.has((headers[n] as string).toLowerCase());
        if (removed) kept ??= headers.slice(0, n);
        else kept?.push(headers[n], headers[n + 1]);
      }
      if (kept) args[i] = headers.length % 2 === 0 ? kept : [...kept, headers[headers.length - 1]];
    } else {
      for (const key of Object.keys(headers)) if (REMOVED_HEADERS.has(key.toLowerCase())) delete (headers as Record<string, unknown>)[key];
    }
  }
}

// One shared function (no closure per response): the original `writeHead` is kept on the response.
function writeHeadStripped(this: StrippingResponse, ...args: unknown[]): ServerResponse {
  stripBeforeWriteHead(this, args);
  return (this[ORIGINAL_WRITE_HEAD] as WriteHead).apply(this, args);
}
Object.defineProperty(writeHeadStripped, STRIPS, { value: true });

/**
 * Strips the fingerprinting headers however they are set, including those passed to `writeHead()`
 * (Fastify): at `writeHead`, which every way of sending a response goes through (`end()`, `write()` and
 * `flushHeaders()` call it for the implicit head), so nothing set before or after this call survives.
 * Nothing to do when `res` already inherits a stripping `writeHead` ({@link stripFingerprintHeadersOf}).
 */
export function stripFingerprintHeaders(res: ServerResponse): void {
  const response = res as StrippingResponse;
  if ((res.writeHead as WriteHead & { [STRIPS]?: true })[STRIPS]) return;
  response[ORIGINAL_WRITE_HEAD] = res.writeHead;
  res.writeHead = writeHeadStripped as ServerResponse['writeHead'];
}

/**
 * The same stripping for every response that inherits from `proto` (Express's public `app.response`,
 * which Express makes the prototype of each response, and which mounted sub-apps' responses inherit
 * from): installed once at boot instead of a property pair per response. The `writeHead` it wraps is
 * looked up on `proto`'s prototype at each call, so a prototype Express swaps in later (the app mounted
 * in another) is followed.
 */
export function stripFingerprintHeadersOf(proto: ServerResponse): void {
  if ((proto.writeHead as WriteHead & { [STRIPS]?: true })[STRIPS] && Object.hasOwn(proto, 'writeHead')) return;
  function writeHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
    stripBeforeWriteHead(this, args);
    return ((Object.getPrototypeOf(proto) as ServerResponse).writeHead as WriteHead).apply(this, args);
  }
  Object.defineProperty(writeHead, STRIPS, { value: true });
  Object.defineProperty(proto, 'writeHead', { value: writeHead, writable: true, configurable: true, enumerable: false });
}
