import type { ResolvedTransport } from '../../transport/resolved-transport.js';
import type { DpopConfig } from './dpop-config.js';

/** `name` appended to `list` unless already there (header names compare case-insensitively). */
function withHeader(list: readonly string[], name: string): string[] {
  return list.some((h) => h.toLowerCase() === name.toLowerCase()) ? [...list] : [...list, name];
}

/**
 * CORS with DPoP configured (RFC 9449 §4.1, §8, §9): a browser client must be allowed to send the `DPoP`
 * proof header, and to read `DPoP-Nonce` and the `WWW-Authenticate` challenge that says `use_dpop_nonce`.
 * Added to the allow and expose lists, configured or default, so a DPoP client works cross-origin
 * wherever its origin is allowed; nothing changes for origins the list refuses.
 */
export function withDpopCors(transport: ResolvedTransport, dpop: DpopConfig | undefined): ResolvedTransport {
  if (!dpop || !transport.cors) return transport;
  const cors = transport.cors;
  return {
    ...transport,
    cors: {
      ...cors,
      allowedHeaders: withHeader(cors.allowedHeaders, 'DPoP'),
      exposedHeaders: withHeader(withHeader(cors.exposedHeaders, 'DPoP-Nonce'), 'WWW-Authenticate'),
    },
  };
}
