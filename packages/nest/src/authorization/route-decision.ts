import { ANY_SCOPES_KEY, AUTHENTICATED_KEY, BOUNDARY_KEY, POLICIES_KEY, PUBLIC_KEY, ROLES_KEY, SCOPES_KEY } from '../core/constants.js';
import type { PolicyType } from './policy.js';

/** The access decision a route states through Bastion's decorators (class and method merged). */
export interface RouteDecision {
  /** `@Public()` on the method or class. */
  readonly public: boolean;
  /** `@Public({ baseline: true })`: public until reviewed. */
  readonly baseline: boolean;
  /** `@Authenticated()` on the method or class. */
  readonly authenticated: boolean;
  /** `@Boundary()` name (method overrides class); undefined means the default boundary. */
  readonly boundary: string | undefined;
  /** Scopes that are all required (union of every `@RequireScopes`). */
  readonly scopes: readonly string[];
  /** Groups of which one scope each is required (one group per `@RequireAnyScope`). */
  readonly anyScopes: readonly (readonly string[])[];
  /** Groups of which one role each is required (one group per `@Roles`). */
  readonly roles: readonly (readonly string[])[];
  /** Policies to run, class-level first. */
  readonly policies: readonly PolicyType[];
  /** Decorators used with an empty list (`@RequireScopes(...[])`): misuse reported at boot. */
  readonly emptyLists: readonly string[];
}

function groups(key: string, handler: object, controller: object | undefined): string[][] {
  // Class metadata via getMetadata (inherited from a base controller), method metadata is own.
  const classGroups = controller ? ((Reflect.getMetadata(key, controller) as string[][] | undefined) ?? []) : [];
  const methodGroups = (Reflect.getOwnMetadata(key, handler) as string[][] | undefined) ?? [];
  return [...classGroups, ...methodGroups].map((g) => (Array.isArray(g) ? g.filter((s) => typeof s === 'string' && s !== '') : []));
}

function override<T>(key: string, handler: object, controller: object): T | undefined {
  return (Reflect.getOwnMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
}

/**
 * Reads a route's decision from metadata. Framework-free (plain `reflect-metadata`) so the route map,
 * the guard, the OpenAPI integration and external tools all read it the same way.
 */
export function readRouteDecision(handler: object, controller: object): RouteDecision {
  const publicMeta = override<{ baseline?: boolean } | true>(PUBLIC_KEY, handler, controller);
  // A method-level @Public() opts that one route out of its controller's requirements (a health check
  // in a scoped controller); requirements next to @Public() at its own level are a conflict.
  const requirementsOf = Reflect.getOwnMetadata(PUBLIC_KEY, handler) !== undefined ? undefined : controller;
  const scopeGroups = groups(SCOPES_KEY, handler, requirementsOf);
  const anyScopes = groups(ANY_SCOPES_KEY, handler, requirementsOf);
  const roles = groups(ROLES_KEY, handler, requirementsOf);
  const policyGroups = [
    ...(requirementsOf ? ((Reflect.getMetadata(POLICIES_KEY, requirementsOf) as PolicyType[][] | undefined) ?? []) : []),
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
 * specific level (both on the method, both on the class, or class `@Public()` with method
 * `@Authenticated()`). Only a method-level `@Public()` in an `@Authenticated()` controller is a
 * deliberate opt-out; the other combinations would serve anonymously a route that asks for a principal.
 */
export function publicOverridesAuthenticated(handler: object, controller: object): boolean {
  const publicOnMethod = Reflect.getOwnMetadata(PUBLIC_KEY, handler) !== undefined;
  const publicOnClass = Reflect.getMetadata(PUBLIC_KEY, controller) !== undefined;
  const authenticatedOnMethod = Reflect.getOwnMetadata(AUTHENTICATED_KEY, handler) === true;
  const authenticatedOnClass = Reflect.getMetadata(AUTHENTICATED_KEY, controller) === true;
  if (authenticatedOnMethod) return publicOnMethod || publicOnClass;
  return authenticatedOnClass && publicOnClass && !publicOnMethod;
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
