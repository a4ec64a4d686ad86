import type { Type } from '@nestjs/common';
import type { Principal } from '../core/principal.js';
import type { RequestContext } from '../core/request-context.js';

/** What a policy sees when it decides. */
export interface PolicyContext {
  /** The authenticated caller (policies never run on anonymous requests). */
  readonly principal: Principal;
  /** The Express or Fastify request. */
  readonly request: Readonly<Record<string, unknown>>;
  /** Bastion's view of the request: id, resolved client address, method, path, headers, route. */
  readonly context: RequestContext;
  /** Route parameters (strings, as matched by the router). */
  readonly params: Readonly<Record<string, string>>;
  /** Parsed query string. */
  readonly query: Readonly<Record<string, unknown>>;
  /**
   * The request body. By default the body as parsed by the adapter (size- and depth-limited), BEFORE
   * validation: policies run in the authorization guard, and Nest runs guards before pipes, so a
   * denied request never reaches validation or the handler; treat it as untrusted input. A policy
   * with `needsValidatedBody = true` gets instead the `@Body()` value after the global pipes (the
   * validated, transformed DTO the handler will receive).
   */
  readonly body: unknown;
  /** `Controller.method` of the route, for messages and logs. */
  readonly handler: string;
}

/** How a policy's denial is answered: 403 `ERR_POLICY_DENIED`, or 404 `ERR_NOT_FOUND` to hide existence. */
export type PolicyDenial = 'forbidden' | 'not-found';

/**
 * An authorization rule that needs more than scopes and roles (object ownership, tenancy…). An
 * injectable class, resolved from the module graph, so it can use services and repositories; it must
 * be listed in some module's `providers`, or the app stops at boot naming the route that uses it.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class OrderOwnerPolicy implements Policy {
 *   readonly onDeny = 'not-found';
 *   constructor(private readonly orders: OrdersService) {}
 *   async evaluate({ principal, params }: PolicyContext) {
 *     return (await this.orders.find(params.id))?.ownerId === principal.subject;
 *   }
 * }
 * ```
 */
export interface Policy {
  evaluate(context: PolicyContext): boolean | Promise<boolean>;
  /** Answer on denial. Default `'forbidden'` (403 `ERR_POLICY_DENIED`). */
  readonly onDeny?: PolicyDenial;
  /**
   * Evaluate after validation, with `ctx.body` the validated `@Body()` value: the policy then runs in
   * Bastion's interceptor once the global pipes have run on the body (an invalid body gets the 400 of
   * validation first). Default `false`: the policy runs in the guard, before any pipe.
   */
  readonly needsValidatedBody?: boolean;
}

/** Builds the context a policy sees. */
export function policyContextOf(ctx: RequestContext, principal: Principal, handler: string, body: unknown = ctx.body): PolicyContext {
  const request = ctx.request as { params?: unknown; query?: unknown };
  return {
    principal,
    request: request as Readonly<Record<string, unknown>>,
    context: ctx,
    params: (request.params ?? {}) as Record<string, string>,
    query: (typeof request.query === 'object' && request.query !== null ? request.query : {}) as Record<string, unknown>,
    body,
    handler,
  };
}

/** A policy class as accepted by `@UsePolicy`. */
export type PolicyType = Type<Policy>;
