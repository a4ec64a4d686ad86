import { ANY_SCOPES_KEY, AUTHENTICATED_KEY, BOUNDARY_KEY, POLICIES_KEY, PUBLIC_KEY, ROLES_KEY, SCOPES_KEY } from '../core/constants.js';
import type { PolicyType } from './policy.js';

/** The access decision a route states through Bastion's decorators (the class chain and the method merged). */
export interface RouteDecision {
  /** `@Public()` on the method or class. */
  readonly public: boolean;
  /** `@Public({ baseline: true })`: public until reviewed. */
  readonly baseline: boolean;
  /** `@Public({ ownCredential: true })`: the route's `Authorization` belongs to the app's own check. */
  readonly ownCredential: boolean;
  /** `@Authenticated()` on the method or class. */
  readonly authenticated: boolean;
  /** `@Boundary()` name (method overrides class); undefined means the default boundary. */
  readonly boundary: string | undefined;
  /** Scopes that are all required (union of every `@RequireScopes` on the method and along the class chain). */
  readonly scopes: readonly string[];
  /** Groups of which one scope each is required (one group per `@RequireAnyScope`). */
  readonly anyScopes: readonly (readonly string[])[];
  /** Groups of which one role each is required (one group per `@Roles`). */
  readonly roles: readonly (readonly string[])[];
  /** Policies to run: base classes first, then the controller, then the method. */
  readonly policies: readonly PolicyType[];
  /** Decorators used with an empty list (`@RequireScopes(...[])`): misuse reported at boot. */
  readonly emptyLists: readonly string[];
}

/**
 * The controller and every class it extends, base-most first. Class decorators along the whole chain
 * apply: a subclass's own decorator adds to its base class's, never replaces it.
 */
export function classChain(controller: object): object[] {
  const chain: object[] = [];
  for (let c: object | null = controller; c && c !== Function.prototype && c !== Object.prototype; c = Object.getPrototypeOf(c) as object | null) chain.unshift(c);
  return chain;
}

function groups(key: string, handler: object, chain: readonly object[]): string[][] {
  const classGroups = chain.flatMap((c) => (Reflect.getOwnMetadata(key, c) as string[][] | undefined) ?? []);
  const methodGroups = (Reflect.getOwnMetadata(key, handler) as string[][] | undefined) ?? [];
  return [...classGroups, ...methodGroups].map((g) => (Array.isArray(g) ? g.filter((s) => typeof s === 'string' && s !== '') : []));
}

function override<T>(key: string, handler: object, controller: object): T | undefined {
  // Nearest class first (Reflect.getMetadata walks the chain); conflicting values along the chain are a
  // boot error (see inheritanceConflicts), so "nearest" only ever picks between equal values.
  return (Reflect.getOwnMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
}

/**
 * Reads a route's decision from metadata: the method's decorators plus those of its controller and of
 * every class the controller extends. Framework-free (plain `reflect-metadata`) so the route map, the
 * guard, the OpenAPI integration and external tools all read it the same way.
 */
export function readRouteDecision(handler: object, controller: object): RouteDecision {
  const publicMeta = override<{ baseline?: boolean; ownCredential?: boolean } | true>(PUBLIC_KEY, handler, controller);
  // A method-level @Public() opts that one route out of its controller's requirements (a health check
  // in a scoped controller); requirements next to @Public() at its own level are a conflict.
  const chain = Reflect.getOwnMetadata(PUBLIC_KEY, handler) !== undefined ? [] : classChain(controller);
  const scopeGroups = groups(SCOPES_KEY, handler, chain);
  const anyScopes = groups(ANY_SCOPES_KEY, handler, chain);
  const roles = groups(ROLES_KEY, handler, chain);
  const policyGroups = [
    ...chain.flatMap((c) => (Reflect.getOwnMetadata(POLICIES_KEY, c) as PolicyType[][] | undefined) ?? []),
    ...((Reflect.getOwnMetadata(POLICIES_KEY, handler) as PolicyType[][] | undefined) ?? []),
  ];
  const emptyLists: string[] = [];
  if (scopeGroups.some((g) => g.length === 0)) emptyLists.push('@RequireScopes');
  if (anyScopes.some((g) => g.length === 0)) emptyLists.push('@RequireAnyScope');
  if (roles.some((g) => g.length === 0)) emptyLists.push('@Roles');
  if (policyGroups.some((g) => !Array.isArray(g) || g.length === 0 || g.some((p) => typeof p !== 'function'))) emptyLists.push('@UsePolicy');
  return {
    public: publicMeta !== undefined,
    baseline: typeof publicMeta === 'object' && publicMeta.baseline === true,
    ownCredential: typeof publicMeta === 'object' && publicMeta.ownCredential === true,
    authenticated: override<boolean>(AUTHENTICATED_KEY, handler, controller) === true,
    boundary: override<string>(BOUNDARY_KEY, handler, controller),
    scopes: [...new Set(scopeGroups.flat())],
    anyScopes: anyScopes.filter((g) => g.length > 0),
    roles: roles.filter((g) => g.length > 0),
    policies: [...new Set(policyGroups.flat().filter((p) => typeof p === 'function'))],
    emptyLists,
  };
}

/**
 * True when `@Public()` would silently override an `@Authenticated()` stated at the same or a more
 * specific level (both on the method, both on the class chain, or class `@Public()` with method
 * `@Authenticated()`). Only a method-level `@Public()` in an `@Authenticated()` controller is a
 * deliberate opt-out; the other combinations would serve anonymously a route that asks for a principal.
 */
export function publicOverridesAuthenticated(handler: object, controller: object): boolean {
  const chain = classChain(controller);
  const publicOnMethod = Reflect.getOwnMetadata(PUBLIC_KEY, handler) !== undefined;
  const publicOnClass = chain.some((c) => Reflect.getOwnMetadata(PUBLIC_KEY, c) !== undefined);
  const authenticatedOnMethod = Reflect.getOwnMetadata(AUTHENTICATED_KEY, handler) === true;
  const authenticatedOnClass = chain.some((c) => Reflect.getOwnMetadata(AUTHENTICATED_KEY, c) === true);
  if (authenticatedOnMethod) return publicOnMethod || publicOnClass;
  return authenticatedOnClass && publicOnClass && !publicOnMethod;
}

const REQUIREMENT_DECORATORS: readonly [string, string][] = [
  [SCOPES_KEY, '@RequireScopes()'],
  [ANY_SCOPES_KEY, '@RequireAnyScope()'],
  [ROLES_KEY, '@Roles()'],
  [POLICIES_KEY, '@UsePolicy()'],
];

/**
 * Contradictions between the class decorators of a controller and the classes it extends, which no
 * merge can settle: `@Public()` on one class and `@Authenticated()` or a requirement on another, or two
 * different `@Boundary()` names. Each stops the app at boot (a subclass must not silently open or move
 * what its base class protects, nor the reverse). Empty for a class that extends nothing decorated.
 */
export function inheritanceConflicts(controller: object): string[] {
  const chain = classChain(controller);
  if (chain.length < 2) return [];
  const name = (c: object) => (c as { name?: string }).name || 'anonymous class';
  const problems: string[] = [];
  const publicOn = chain.filter((c) => Reflect.getOwnMetadata(PUBLIC_KEY, c) !== undefined);
  for (const open of publicOn) {
    for (const other of chain) {
      if (other === open) continue;
      const stated = [
        ...(Reflect.getOwnMetadata(AUTHENTICATED_KEY, other) === true ? ['@Authenticated()'] : []),
        ...REQUIREMENT_DECORATORS.filter(([key]) => ((Reflect.getOwnMetadata(key, other) as unknown[] | undefined) ?? []).length > 0).map(([, label]) => label),
      ];
      if (stated.length > 0) problems.push(`@Public() on ${name(open)} conflicts with ${stated.join(', ')} on ${name(other)} (class decorators along the inheritance chain all apply)`);
    }
  }
  const boundaries = chain.map((c) => [c, Reflect.getOwnMetadata(BOUNDARY_KEY, c) as string | undefined] as const).filter(([, b]) => b !== undefined);
  if (new Set(boundaries.map(([, b]) => b)).size > 1) {
    problems.push(`conflicting boundaries along the inheritance chain: ${boundaries.map(([c, b]) => `@Boundary('${b}') on ${name(c)}`).join(', ')}`);
  }
  return problems;
}

/** True when the route states an access decision (strict mode requires one on every route). */
export function hasDecision(d: RouteDecision): boolean {
  return d.public || d.authenticated || d.scopes.length > 0 || d.anyScopes.length > 0 || d.roles.length > 0 || d.policies.length > 0;
}

/** True when the route requires something beyond a valid principal. */
export function hasRequirements(d: RouteDecision): boolean {
  return d.scopes.length > 0 || d.anyScopes.length > 0 || d.roles.length > 0 || d.policies.length > 0;
}

/** The route's own `@Boundary()` name (method overrides class), without reading anything else. */
export function routeBoundaryName(handler: object, controller: object): string | undefined {
  return override<string>(BOUNDARY_KEY, handler, controller);
}
