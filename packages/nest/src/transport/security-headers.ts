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
type StrippingResponse = ServerResponse & { [ORIGINAL_WRITE_HEAD]?: ServerResponse['writeHead'] };

// One shared function (no closure per response): the original `writeHead` is kept on the response.
function writeHeadStripped(this: StrippingResponse, ...args: unknown[]): ServerResponse {
  for (const name of REMOVED_HEADERS) this.removeHeader(name);
  const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null && !Array.isArray(a)) as Record<string, unknown> | undefined;
  if (headers) {
    for (const key of Object.keys(headers)) if (REMOVED_HEADERS.has(key.toLowerCase())) delete headers[key];
  }
  return (this[ORIGINAL_WRITE_HEAD] as (...a: unknown[]) => ServerResponse).apply(this, args);
}

/** Strips the fingerprinting headers however they are set, including those passed to `writeHead()` (Fastify). */
export function stripFingerprintHeaders(res: ServerResponse): void {
  for (const name of REMOVED_HEADERS) res.removeHeader(name);
  const response = res as StrippingResponse;
  if (response[ORIGINAL_WRITE_HEAD]) return;
  response[ORIGINAL_WRITE_HEAD] = res.writeHead;
  res.writeHead = writeHeadStripped as ServerResponse['writeHead'];
}
