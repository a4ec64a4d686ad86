import type { Principal } from '../../core/principal.js';

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function setOf(list: unknown, spaced: unknown): Set<string> {
  if (list instanceof Set || Array.isArray(list)) return new Set([...list].filter((v): v is string => typeof v === 'string' && v !== ''));
  if (typeof spaced === 'string') return new Set(spaced.split(' ').filter((v) => v !== ''));
  return new Set();
}

/**
 * The default map from a Passport strategy's `user` to a {@link Principal}:
 * - `subject`: the first of `sub`, `id`, `userId`, `username` that is a non-empty string or a number;
 * - `scopes`: `scopes` (array or Set) or `scope` (space-delimited string); `roles`: `roles` or `role`;
 * - `clientId`: `clientId` or `client_id`;
 * - `claims`: `{ sub }` only — the user object is never copied (it may hold a password hash).
 * A user that already is a principal (`subject` string, `scopes` Set) is kept, with its credential set.
 * Returns `undefined` when no subject can be found (authentication then fails with `ERR_PRINCIPAL_UNMAPPED`).
 */
export function defaultPassportPrincipal(user: unknown, credential: string): Principal | undefined {
  if (typeof user !== 'object' || user === null) return undefined;
  const u = user as Record<string, unknown>;
  if (typeof u['subject'] === 'string' && u['subject'] !== '' && u['scopes'] instanceof Set && u['roles'] instanceof Set) {
    return { ...(user as Principal), credential };
  }
  const subject = stringOf(u['sub']) ?? stringOf(u['id']) ?? stringOf(u['userId']) ?? stringOf(u['username']);
  if (subject === undefined) return undefined;
  const clientId = stringOf(u['clientId']) ?? stringOf(u['client_id']);
  return {
    subject,
    ...(clientId !== undefined ? { clientId } : {}),
    scopes: setOf(u['scopes'], u['scope']),
    roles: setOf(u['roles'], u['role']),
    credential,
    claims: { sub: subject },
  };
}
