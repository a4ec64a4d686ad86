/** Outcome of a scope or role check: the failing reason and what a client would need. */
export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly missing: readonly string[]; readonly required: readonly string[] };

const OK: CheckResult = { ok: true };

/**
 * Checks granted scopes against an all-of list and any-of groups. On failure `missing` lists the
 * all-of scopes not granted plus every unmet any-of group; `required` is the full set of scopes the
 * route names, for the RFC 6750 §3.1 `scope` challenge attribute ("the scope necessary to access").
 *
 * @example
 * ```ts
 * checkScopes(new Set(['a']), ['a', 'b'], []) // { ok: false, missing: ['b'], required: ['a', 'b'] }
 * ```
 */
export function checkScopes(granted: ReadonlySet<string>, all: readonly string[], any: readonly (readonly string[])[]): CheckResult {
  if (all.length === 0 && any.length === 0) return OK; // most routes: nothing to filter, nothing allocated
  const missing = all.filter((s) => !granted.has(s));
  const unmetGroups = any.filter((group) => !group.some((s) => granted.has(s)));
  if (missing.length === 0 && unmetGroups.length === 0) return OK;
  const required = [...new Set([...all, ...unmetGroups.flat()])];
  return { ok: false, missing: [...new Set([...missing, ...unmetGroups.flat()])], required };
}

/**
 * Checks granted roles against groups of which one each is required.
 *
 * @example
 * ```ts
 * checkRoles(new Set(['staff']), [['staff'], ['admin', 'auditor']]) // { ok: false, missing: ['admin', 'auditor'], … }
 * ```
 */
export function checkRoles(granted: ReadonlySet<string>, groups: readonly (readonly string[])[]): CheckResult {
  if (groups.length === 0) return OK;
  const unmet = groups.filter((group) => !group.some((r) => granted.has(r)));
  if (unmet.length === 0) return OK;
  return { ok: false, missing: [...new Set(unmet.flat())], required: [...new Set(groups.flat())] };
}
