import { headerLines, headerValue, type BastionRequest } from '../core/http-request.js';
import { clientAddressOf } from './client-address.js';
import type { TrustedProxies } from './trusted-proxies.js';

/** Scheme and authority the client used to reach the first trusted hop. */
export interface PublicOrigin {
  readonly scheme: 'http' | 'https';
  /** `host[:port]` as the client addressed it; `undefined` when the request names none (or several). */
  readonly authority: string | undefined;
}


/**
 * The origin the client addressed: behind a trusted proxy, the scheme it reported (`X-Forwarded-Proto`,
 * through {@link clientAddressOf}) and its `X-Forwarded-Host` (right-most entry: the nearest trusted
 * proxy's view); otherwise the socket's scheme and the `Host` header. The one place that reads these,
 * for everything that reconstructs the target URI (RFC 9421 `@target-uri`, `@authority`, `@scheme`).
 */
export function publicOriginOf(req: BastionRequest, trusted: TrustedProxies): PublicOrigin {
  const client = clientAddressOf(req, trusted);
  if (client.viaTrustedProxy) {
    const forwarded = headerLines(req, 'x-forwarded-host').flatMap((line) => line.split(',')).map((h) => h.trim()).filter(Boolean);
    if (forwarded.length > 0) return { scheme: client.protocol, authority: forwarded[forwarded.length - 1] };
  }
  // RFC 9112 §3.2: exactly one Host; HTTP/2 sends :authority instead.
  const hosts = headerLines(req, 'host');
  const authority = hosts.length === 1 ? hosts[0] : hosts.length === 0 ? headerValue(req, ':authority') : undefined;
  return { scheme: client.protocol, authority };
}
