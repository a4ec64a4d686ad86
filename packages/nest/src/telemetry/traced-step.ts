import { Inject, Optional, type ExecutionContext } from '@nestjs/common';
import { routeTemplateOf } from '../authorization/route-path.js';
import { existingHttpContext } from '../contexts/http/http-context.js';
import { BastionTelemetry } from './bastion-telemetry.js';
import type { SecurityStep, StepAttributes } from './step-tracer.js';

// The property Nest injects Bastion's telemetry into, on every guard with a traced step. A symbol: no
// guard's own members (or a subclass's) can collide with it, and it is no part of the guards' API.
const TELEMETRY = Symbol('bastion.telemetry');

type Traced = { [TELEMETRY]?: BastionTelemetry };

/** Bastion's telemetry as injected into a guard with a traced step (`undefined` in a guard built by hand). */
export function telemetryOf(guard: object): BastionTelemetry | undefined {
  return (guard as Traced)[TELEMETRY];
}

/** What a step span says about the request once the step ran: the route template and the credential type. */
function stepAttributes(context: ExecutionContext): StepAttributes {
  const ctx = context.getType() === 'http' ? existingHttpContext(context.switchToHttp().getRequest<object>()) : undefined;
  return { 'http.route': ctx?.route && routeTemplateOf(ctx.route, ctx.request), 'bastion.credential.type': ctx?.principal?.credential };
}

/**
 * Runs the decorated guard method as `step` in a span while the app traces; otherwise the method runs as
 * it is, after one check. Also has Nest inject Bastion's telemetry into the guard (an optional property,
 * so subclasses with their own constructors keep it; read it with {@link telemetryOf}). `contextOf` finds
 * the execution context in the method's first argument (default: it is the context).
 */
export function TracedStep(step: SecurityStep, contextOf: (arg: never) => ExecutionContext = (arg) => arg): MethodDecorator {
  return (target, _key, descriptor: PropertyDescriptor) => {
    Optional()(target, TELEMETRY);
    Inject(BastionTelemetry)(target, TELEMETRY);
    const method = descriptor.value as (this: Traced, ...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: Traced, ...args: unknown[]) {
      const tracer = this[TELEMETRY]?.tracer;
      if (!tracer) return method.apply(this, args);
      const context = contextOf(args[0] as never);
      return tracer.trace(step, () => method.apply(this, args), () => stepAttributes(context));
    };
  };
}
