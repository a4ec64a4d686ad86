/**
 * Property names that reach `Object.prototype` (or a constructor's prototype) when an object is merged
 * or assigned key by key. `JSON.parse` keeps `"__proto__"` as an own key, so the danger is any later
 * deep merge; rejecting them at the edge closes the whole class.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}
