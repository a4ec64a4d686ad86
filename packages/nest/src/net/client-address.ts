import { CLIENT_ADDRESS_KEY, headerValue, rawHeaderValues, remoteAddressOf, type BastionRequest } from '../core/http-request.js';
import { resolveClient, type ClientAddress } from './forwarded.js';
import { DEFAULT_TRUSTED_PROXIES, TrustedProxies } from './trusted-proxies.js';

export { CLIENT_ADDRESS_KEY };

/**
 * The resolved client of an Express or Fastify request (see {@link resolveClient}), computed once per
 * request and cached on it, so every layer (HTTPS check, throttling, brute force, audit) agrees.
 * Reads the raw header lines so duplicated `X-Forwarded-For` headers are all seen, in order.
 */
export function clientAddressOf(req: BastionRequest, trusted: TrustedProxies): ClientAddress {
  const cached = req[CLIENT_ADDRESS_KEY] as ClientAddress | undefined;
  if (cached) return cached;
  const socket = (req.socket ?? req.raw?.socket) as { encrypted?: boolean } | undefined;
  const client = resolveClient(
    {
      peer: remoteAddressOf(req),
      encrypted: socket?.encrypted === true,
      forwardedFor: headerLines(req, 'x-forwarded-for'),
      forwardedProto: headerLines(req, 'x-forwarded-proto'),
    },
    trusted,
  );
  req[CLIENT_ADDRESS_KEY] = client;
  return client;
}

function headerLines(req: BastionRequest, name: string): string[] {
  const raw = rawHeaderValues(req, name);
  if (raw.length > 0) return raw;
  // Requests built without raw headers (injected requests, some test tools) still have the parsed ones.
  const joined = headerValue(req, name);
  return joined === undefined ? [] : [joined];
}

const proxiesByOptions = new WeakMap<object, TrustedProxies>();

/**
 * The {@link TrustedProxies} of a validated options object (`trustedProxies`, default loopback), built
 * once per options object.
 */
export function trustedProxiesOf(options: { trustedProxies?: readonly string[] }): TrustedProxies {
  let proxies = proxiesByOptions.get(options);
  if (!proxies) {
    proxies = new TrustedProxies(options.trustedProxies ?? DEFAULT_TRUSTED_PROXIES);
    proxiesByOptions.set(options, proxies);
  }
  return proxies;
}
