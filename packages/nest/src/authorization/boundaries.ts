import type { CredentialWay } from '../authentication/credential-combinations.js';
import { isTokenCredential, type CredentialType, type Principal } from '../core/principal.js';
import type { BoundaryOptions } from './boundary-options.js';

/** The part of the options that defines trust boundaries. */
export interface BoundaryConfig {
  boundaries?: Record<string, BoundaryOptions>;
  defaultBoundary?: string;
}

/** A route's effective boundary: its name and definition, or none when no boundary applies. */
export interface EffectiveBoundary {
  readonly name: string;
  readonly options: BoundaryOptions;
}

/**
 * Resolves the boundary a route is in: its own `@Boundary(name)`, else `defaultBoundary`, else none
 * (every enabled credential type is accepted). Throws on an unknown name; the route map calls this at
 * boot so the error names the handler before any request is served.
 */
export function effectiveBoundary(config: BoundaryConfig, routeBoundary: string | undefined): EffectiveBoundary | undefined {
  const name = routeBoundary ?? config.defaultBoundary;
  if (name === undefined) return undefined;
  const options = config.boundaries && Object.hasOwn(config.boundaries, name) ? config.boundaries[name] : undefined;
  if (!options) throw new Error(`unknown boundary "${name}"`);
  return { name, options };
}

/** Every credential type a list of ways in names, alone or in a combination. */
export function credentialTypesOf(ways: readonly CredentialWay[]): CredentialType[] {
  return [...new Set(ways.flatMap((w) => (typeof w === 'string' ? [w] : [...w])))];
}

/** True when `credential` may be used in `boundary`, alone or with others (no boundary: any). */
export function acceptsCredential(boundary: EffectiveBoundary | undefined, credential: CredentialType): boolean {
  return !boundary || credentialTypesOf(boundary.options.accept).includes(credential);
}

/** True when the principal came in one of the ways: its credential alone, or its combination of credentials. */
function cameInAllowedWay(ways: readonly CredentialWay[], principal: Principal): boolean {
  const combined = principal.combined;
  return ways.some((w) =>
    typeof w === 'string' ? w === principal.credential : combined !== undefined && w.length === combined.length && w.every((c) => combined.includes(c)),
  );
}

/**
 * The client a principal acts for. Tokens (JWT, introspection, DPoP) name it in `client_id`/`azp` (RFC 9068
 * §2.2): their `sub` is a user for user tokens, so a user whose id happens to equal a client's name
 * must not pass for that client. API keys, signatures and certificates identify the client itself.
 */
function clientOf(principal: Principal): string | undefined {
  if (isTokenCredential(principal.credential)) return principal.clientId;
  return principal.clientId ?? principal.subject;
}

/**
 * Checks a principal against a boundary's credential list and extra requirements; returns the denial
 * reason or undefined. Defense in depth: the authentication guard already refuses other credentials.
 */
export function boundaryViolation(boundary: EffectiveBoundary | undefined, principal: Principal): string | undefined {
  if (!boundary) return undefined;
  if (!cameInAllowedWay(boundary.options.accept, principal)) return `credential ${[...(principal.combined ?? [principal.credential])].join('+')} not accepted`;
  const required = boundary.options.requireScopes;
  if (required && required.length > 0) {
    const missing = required.filter((s) => !principal.scopes.has(s));
    if (missing.length > 0) return `boundary scopes missing: ${missing.join(' ')}`;
  }
  const clients = boundary.options.clients;
  if (clients && !clients.includes(clientOf(principal) ?? '')) return 'client not allowed';
  return undefined;
}
