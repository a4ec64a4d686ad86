import type { ExecutionContext } from '@nestjs/common';
import { routeTemplateOf } from '../authorization/route-path.js';
import { existingHttpContext } from '../contexts/http/http-context.js';
import type { BastionTelemetry } from './bastion-telemetry.js';
import type { SecurityStep, StepAttributes } from './step-tracer.js';

type Traced = { telemetry?: BastionTelemetry };

/** What a step span says about the request once the step ran: the route template and the credential type. */
function stepAttributes(context: ExecutionContext): StepAttributes {
  const ctx = context.getType() === 'http' ? existingHttpContext(context.switchToHttp().getRequest<object>()) : undefined;
  return { 'http.route': ctx?.route && routeTemplateOf(ctx.route, ctx.request), 'bastion.credential.type': ctx?.principal?.credential };
}

/**
 * Runs the decorated guard method as `step` in a span while the app traces, through the guard's
 * `telemetry` property (Bastion's {@link BastionTelemetry}, injected as an optional property so a
 * subclass with its own constructor keeps it). Otherwise the method runs as it is, after one check.
 * `contextOf` finds the execution context in the method's first argument (default: it is the context).
 */
export function TracedStep(step: SecurityStep, contextOf: (arg: never) => ExecutionContext = (arg) => arg): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const method = descriptor.value as (this: Traced, ...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: Traced, ...args: unknown[]) {
      const tracer = this.telemetry?.tracer;
      if (!tracer) return method.apply(this, args);
      const context = contextOf(args[0] as never);
      return tracer.trace(step, () => method.apply(this, args), () => stepAttributes(context));
    };
  };
}
