import { httpContextOf } from '../../src/contexts/http/http-context.js';
import type { HttpRequestContext } from '../../src/contexts/http/http-request-context.js';
import { TrustedProxies } from '../../src/net/trusted-proxies.js';
import { UntrustedForwardingWarning } from '../../src/net/untrusted-forwarding.js';

export interface FakeRequest {
  rawHeaders?: string[];
  url?: string;
  method?: string;
  body?: unknown;
  peer?: string;
  encrypted?: boolean;
  /** Trusted proxies. Default `['127.0.0.1', '::1']`. */
  trusted?: string[];
  /** The once-only warning to report untrusted forwarding to. Default: a fresh, silent one. */
  untrustedForwarding?: UntrustedForwardingWarning;
}

/** A request context over a hand-made raw request (header lines as sent), for unit tests of what reads one. */
export function fakeContext(options: FakeRequest = {}): HttpRequestContext {
  const rawHeaders = options.rawHeaders ?? [];
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    headers[name] = headers[name] === undefined ? rawHeaders[i + 1]! : `${headers[name]}, ${rawHeaders[i + 1]!}`;
  }
  const raw = {
    headers,
    rawHeaders,
    url: options.url ?? '/x',
    method: options.method ?? 'GET',
    body: options.body,
    socket: { remoteAddress: options.peer ?? '127.0.0.1', encrypted: options.encrypted },
  };
  return httpContextOf(raw, { trustedProxies: new TrustedProxies(options.trusted ?? ['127.0.0.1', '::1']), untrustedForwarding: options.untrustedForwarding ?? new UntrustedForwardingWarning(() => undefined) });
}
