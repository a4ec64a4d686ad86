import type { BastionOptions } from '../options/bastion-options.interface.js';
import { apiSecurityHeaders } from './security-headers.js';
import type { CorsOptions } from './transport-options.js';

/** Transport settings with every default filled in (the `transport` slice of the resolved configuration). */
export interface ResolvedTransport {
  headers: ReadonlyArray<[string, string]>;
  cors: Required<CorsOptions> | undefined;
  https: { enforce: boolean; redirectTo: string | undefined; allowLocal: boolean };
  contentTypes: readonly string[];
  limits: {
    bodyBytes: number;
    json: { maxDepth: number; maxKeys: number; maxArrayLength: number };
    query: { maxParameters: number; maxDepth: number; maxArrayLength: number };
    urlBytes: number;
    headerBytes: number;
  };
  timeouts: { request: number; headers: number; keepAlive: number };
}

/** Applies the defaults documented on each option (see `transport-options.ts`). */
export function resolveTransport(options: BastionOptions): ResolvedTransport {
  const limits = options.limits ?? {};
  const timeouts = options.timeouts ?? {};
  const cors = options.cors;
  return {
    headers: apiSecurityHeaders(options.headers),
    cors: cors && {
      origins: cors.origins,
      credentials: cors.credentials ?? false,
      methods: cors.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: cors.allowedHeaders ?? ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: cors.exposedHeaders ?? ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
      maxAge: cors.maxAge ?? 600,
    },
    https: {
      enforce: options.https?.enforce ?? true,
      redirectTo: options.https?.redirectTo?.replace(/\/+$/, ''),
      allowLocal: options.https?.allowLocal ?? true,
    },
    contentTypes: (options.contentTypes ?? ['application/json']).map((t) => t.toLowerCase()),
    limits: {
      bodyBytes: limits.bodyBytes ?? 100 * 1024,
      json: { maxDepth: limits.jsonDepth ?? 32, maxKeys: limits.jsonKeys ?? 1000, maxArrayLength: limits.jsonArrayLength ?? 10_000 },
      query: { maxParameters: limits.queryParameters ?? 100, maxDepth: limits.queryDepth ?? 5, maxArrayLength: limits.queryArrayLength ?? 20 },
      urlBytes: limits.urlBytes ?? 8192,
      headerBytes: limits.headerBytes ?? 16 * 1024,
    },
    timeouts: { request: timeouts.request ?? 30_000, headers: timeouts.headers ?? 10_000, keepAlive: timeouts.keepAlive ?? 5_000 },
  };
}
