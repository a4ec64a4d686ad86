import type { Type } from '@nestjs/common';
import type { BastionRequest } from '../core/http-request.js';
import type { Principal } from '../core/principal.js';

/** What a policy sees when it decides. */
export interface PolicyContext {
  /** The authenticated caller (policies never run on anonymous requests). */
  readonly principal: Principal;
  /** The Express or Fastify request. */
  readonly request: BastionRequest;
  /** Route parameters (strings, as matched by the router). */
  readonly params: Readonly<Record<string, string>>;
  /** Parsed query string. */
  readonly query: Readonly<Record<string, unknown>>;
  /**
   * The request body as parsed by the adapter's body parser (size- and depth-limited JSON or form),
   * BEFORE validation: guards run before pipes in Nest, and policies run in a guard so that a denied
   * request never reaches validation or the handler. Treat it as untrusted input.
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
}

/** A policy class as accepted by `@UsePolicy`. */
export type PolicyType = Type<Policy>;
