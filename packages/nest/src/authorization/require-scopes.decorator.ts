import { ANY_SCOPES_KEY, SCOPES_KEY } from '../core/constants.js';
import { appendMetadata } from './append-metadata.js';

/**
 * Requires every listed OAuth scope. On a class it applies to every route; class- and method-level
 * requirements both apply (their union is required). A caller without them gets 403
 * `ERR_SCOPE_MISSING` with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
 *
 * @example
 * ```ts
 * @RequireScopes('orders:read')
 * @Get(':id')
 * findOne(@Param('id') id: string) { … }
 * ```
 */
export const RequireScopes = (scope: string, ...more: string[]): ClassDecorator & MethodDecorator =>
  appendMetadata(SCOPES_KEY, [scope, ...more]);

/**
 * Requires at least one of the listed scopes. Each use is its own requirement: a class-level and a
 * method-level `@RequireAnyScope` must both be met.
 *
 * @example
 * ```ts
 * @RequireAnyScope('orders:read', 'orders:admin')
 * @Get()
 * list() { … }
 * ```
 */
export const RequireAnyScope = (scope: string, ...more: string[]): ClassDecorator & MethodDecorator =>
  appendMetadata(ANY_SCOPES_KEY, [scope, ...more]);
