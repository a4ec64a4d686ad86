/**
 * Reads a claim by dotted path (`realm_access.roles`, `resource_access.orders-api.roles`). A key that
 * itself contains dots (`https://example.com/roles`) is tried whole first. Own properties only, so a
 * path can never reach `__proto__` or inherited members.
 *
 * @example
 * ```ts
 * claimAt({ realm_access: { roles: ['admin'] } }, 'realm_access.roles') // ['admin']
 * ```
 */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Primitive values a claim may be compared with (strings, numbers, booleans). */
export type ClaimValue = string | number | boolean;

function isPrimitive(v: unknown): v is ClaimValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Strict equality of a claim with an expected value. Numbers and strings are compared by string form
 * so a numeric `sub` matches the route param `"42"`; objects, arrays and empty strings never match.
 */
export function claimEquals(actual: unknown, expected: unknown): boolean {
  if (!isPrimitive(actual) || !isPrimitive(expected)) return false;
  if (actual === '' || expected === '') return false;
  if (typeof actual === 'boolean' || typeof expected === 'boolean') return actual === expected;
  return String(actual) === String(expected);
}

/**
 * True when a claim includes the value: an array claim holding it, or a space-separated string claim
 * (like `scope`) containing it as a whole word.
 */
export function claimIncludes(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => claimEquals(item, expected));
  if (typeof actual === 'string') return actual.split(' ').some((item) => claimEquals(item, expected));
  return false;
}
