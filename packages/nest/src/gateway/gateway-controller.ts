import { Controller, Inject, Req, RequestMapping, RequestMethod, Res, type Type } from '@nestjs/common';
import { NEST_METADATA } from '../nest-internals.js';
import { Boundary } from '../authorization/boundary.decorator.js';
import { RequireScopes } from '../authorization/require-scopes.decorator.js';
import { Roles } from '../authorization/roles.decorator.js';
import { Authenticated } from '../decorators/authenticated.decorator.js';
import { Public } from '../decorators/public.decorator.js';
import { GatewayProxy } from './gateway.proxy.js';
import type { ResolvedUpstream } from './validate-gateway-options.js';

function pascal(name: string): string {
  return name.replace(/(^|[-_])([a-z0-9])/gi, (_m, _sep: string, c: string) => c.toUpperCase());
}

// Everything below the prefix: Express 5 (path-to-regexp 8) needs a named wildcard, Fastify
// (find-my-way) an unnamed one at the end.
const EXPRESS_PATHS = ['', '*path'];
const FASTIFY_PATHS = ['', '*'];

/** Points the handlers of gateway controllers at Fastify's wildcard syntax; called before routes are registered. */
export function useFastifyWildcards(controllers: readonly Type<unknown>[]): void {
  for (const controller of controllers) {
    for (const key of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof handler === 'function' && Reflect.getMetadata(NEST_METADATA.path, handler) === EXPRESS_PATHS) {
        Reflect.defineMetadata(NEST_METADATA.path, FASTIFY_PATHS, handler);
      }
    }
  }
}

/**
 * A real Nest controller for one upstream — `prefix` and `prefix/*` for each declared method — with
 * the upstream's access requirements as Bastion decorators, so the guards, strict mode, the route map
 * and OpenAPI treat gateway routes like any other.
 */
export function gatewayController(upstream: ResolvedUpstream): Type<unknown> {
  class GatewayController {
    constructor(readonly proxy: GatewayProxy) {}
  }
  Inject(GatewayProxy)(GatewayController, undefined, 0);
  Object.defineProperty(GatewayController, 'name', { value: `Gateway${pascal(upstream.name)}Controller` });
  const proto = GatewayController.prototype as unknown as Record<string, unknown>;
  for (const method of upstream.methods) {
    const key = `forward${method[0]}${method.slice(1).toLowerCase()}`;
    const handler = function (this: GatewayController, req: object, res: object): Promise<void> {
      return this.proxy.forward(upstream.name, req, res);
    };
    Object.defineProperty(handler, 'name', { value: key });
    proto[key] = handler;
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    Req()(proto, key, 0);
    Res()(proto, key, 1);
    RequestMapping({ path: EXPRESS_PATHS, method: RequestMethod[method] })(proto, key, descriptor);
  }
  const decorators: ClassDecorator[] = [Controller(upstream.prefix)];
  if (upstream.public) decorators.push(Public());
  if (upstream.authenticated) decorators.push(Authenticated());
  if (upstream.scopes.length > 0) decorators.push(RequireScopes(upstream.scopes[0]!, ...upstream.scopes.slice(1)));
  if (upstream.roles.length > 0) decorators.push(Roles(upstream.roles[0]!, ...upstream.roles.slice(1)));
  if (upstream.boundary !== undefined) decorators.push(Boundary(upstream.boundary));
  for (const decorate of decorators) decorate(GatewayController);
  return GatewayController;
}
