import type { CanActivate, ExceptionFilter, ExecutionContext } from '@nestjs/common';
import { NEST_METADATA } from '../nest-internals.js';

// The arguments of the calls Bastion's guards are running for through a class-level chain.
const viaChain = new WeakSet<object>();
const CHAIN = Symbol('bastion.handlerGuards');

type ChainGuard = CanActivate & { readonly [CHAIN]: true };

/**
 * True when a globally registered Bastion guard must leave this call to the class-level chain: a
 * WebSocket or microservice message. Nest does not run global guards for them everywhere (gateways
 * on `@nestjs/websockets` 11, microservices connected with `connectMicroservice()` without
 * `inheritAppConfig`), so Bastion runs its guards for them from each handler class instead, and only there.
 */
export function leftToHandlerChain(context: ExecutionContext): boolean {
  const type = context.getType<string>();
  return (type === 'ws' || type === 'rpc') && !viaChain.has(context.getArgs());
}

/**
 * A class-level guard that runs Bastion's guards, in their global order, for the WebSocket and
 * microservice messages of a class. HTTP routes of the same controller are left to the global guards.
 */
export function handlerChain(guards: readonly CanActivate[]): ChainGuard {
  return {
    [CHAIN]: true,
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const type = context.getType<string>();
      if (type !== 'ws' && type !== 'rpc') return true;
      const args = context.getArgs();
      viaChain.add(args);
      try {
        for (const guard of guards) if (!(await guard.canActivate(context))) return false;
        return true;
      } finally {
        viaChain.delete(args);
      }
    },
  };
}

/**
 * Puts `chain` first among the class-level guards of `cls` (what `@UseGuards()` writes), so it runs
 * before the class's and its methods' own guards, as global guards would. A chain an earlier app of
 * the same process put there is replaced, never stacked.
 */
export function applyHandlerChain(cls: object, chain: ChainGuard): void {
  const own = ((Reflect.getMetadata(NEST_METADATA.guards, cls) as unknown[] | undefined) ?? []).filter((g) => !(typeof g === 'object' && g !== null && CHAIN in g));
  Reflect.defineMetadata(NEST_METADATA.guards, [chain, ...own], cls);
}

/**
 * Puts `filter` among the class-level exception filters of `cls` (what `@UseFilters()` writes), once,
 * where Nest tries it last: gateways run no global filter, so Bastion gives them its own, and the
 * class's and its methods' own filters still come first.
 */
export function applyHandlerFilter(cls: object, filter: ExceptionFilter): void {
  const own = ((Reflect.getMetadata(NEST_METADATA.filters, cls) as unknown[] | undefined) ?? []).filter((f) => f !== filter);
  Reflect.defineMetadata(NEST_METADATA.filters, [filter, ...own], cls);
}
