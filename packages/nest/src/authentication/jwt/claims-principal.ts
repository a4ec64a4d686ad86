import type { CredentialType, Principal } from '../../core/principal.js';
import { isNumericSubject } from './claims.js';
import { reject } from './jwt-errors.js';
import type { IssuerConfig } from './jwt-config.js';

/**
 * The principal fields derived from a verified claim set (a JWT payload or an introspection response);
 * Sets are copied per request. `claims` holds every verified claim, `cnf` included (RFC 7800).
 */
export interface MappedIdentity {
  /** The issuer that vouched for the token (its configured `issuer`). */
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly tokenId: string | undefined;
  /** `exp`, in seconds since the epoch; introspection responses may have none. */
  readonly expiresAt: number | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  /** Claims the token lacks and was accepted without, inside the issuer's legacy window. */
  readonly legacy?: readonly ('iss' | 'aud')[];
}

/** Reads a claim by dotted path (`realm_access.roles`); an exact top-level name wins over a path. */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  if (!path.includes('.')) return undefined;
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Space-delimited strings (RFC 8693 §4.2 `scope`) and string arrays (`scp`, `roles`) alike. */
function collect(claims: Readonly<Record<string, unknown>>, paths: readonly string[], into: Set<string>): void {
  for (const path of paths) {
    const value = claimAt(claims, path);
    if (typeof value === 'string') {
      for (const item of value.split(' ')) if (item) into.add(item);
    } else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'string' && item) into.add(item);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Maps verified claims to the principal's fields. The subject is `sub`, else the client id. */
export function identityFromClaims(claims: Record<string, unknown>, config: IssuerConfig, legacy?: readonly ('iss' | 'aud')[]): MappedIdentity {
  const mapping = config.claims;
  let clientId: string | undefined;
  for (const name of mapping.clientIdClaims) {
    const v = claimAt(claims, name);
    if (typeof v === 'string' && v !== '') {
      clientId = v;
      break;
    }
  }
  const sub = claims.sub;
  const subject = typeof sub === 'string' && sub !== '' ? sub : config.claims.acceptNumericSubject && isNumericSubject(sub) ? String(sub) : clientId;
  if (subject === undefined) reject('ERR_SUBJECT_MISSING');
  const scopes = new Set<string>();
  collect(claims, mapping.scopeClaims, scopes);
  if (mapping.permissionsAsScopes) collect(claims, ['permissions'], scopes);
  const roles = new Set<string>();
  collect(claims, mapping.roleClaims, roles);
  return {
    issuer: config.issuer,
    subject,
    clientId,
    scopes: [...scopes],
    roles: [...roles],
    tokenId: typeof claims.jti === 'string' ? claims.jti : undefined,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
    claims: deepFreeze(claims),
    ...(legacy && legacy.length > 0 ? { legacy } : {}),
  };
}

/** A fresh principal for one request (its Sets are its own, so a handler cannot alter a cached one). */
export function principalOf(identity: MappedIdentity, credential: CredentialType = 'jwt'): Principal {
  return {
    subject: identity.subject,
    clientId: identity.clientId,
    scopes: new Set(identity.scopes),
    roles: new Set(identity.roles),
    credential,
    tokenId: identity.tokenId,
    expiresAt: identity.expiresAt === undefined ? undefined : new Date(identity.expiresAt * 1000),
    claims: identity.claims,
  };
}
