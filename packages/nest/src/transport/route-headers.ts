import type { SecurityHeadersOptions } from './transport-options.js';

interface AnyResponse {
  raw?: { setHeader(name: string, value: string): void; removeHeader(name: string): void };
  setHeader?(name: string, value: string): void;
  removeHeader?(name: string): void;
}

/** Applies a route's `@SecurityHeaders()` overrides to its response (Express's, or Fastify's raw one). */
export function applyRouteHeaders(response: unknown, overrides: SecurityHeadersOptions): void {
  const res = response as AnyResponse;
  const raw = res.raw ?? (res as Required<Pick<AnyResponse, 'setHeader' | 'removeHeader'>>);
  for (const [name, value] of Object.entries(overrides)) {
    if (value === false) raw.removeHeader(name);
    else raw.setHeader(name, value);
  }
}
