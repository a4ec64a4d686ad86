import { Injectable, type ExecutionContext } from '@nestjs/common';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { principalOf, type BastionRequest } from '../core/http-request.js';
import { BastionTelemetry } from './bastion-telemetry.js';
import type { FailMode, StoreConsumer } from './security-metrics.js';
import type { SecurityStep } from './step-tracer.js';

/**
 * What the request steps (guards) report beyond their events: the route template their events name,
 * their spans, and the fail mode they apply when the store fails. Guards reach it through an optional
 * `telemetry` property, so a guard built by hand (or a subclass with its own constructor) still works.
 */
@Injectable()
export class RequestTelemetry {
  /** True while the app traces: only then does a step cost more than this check. */
  readonly tracing: boolean;

  constructor(
    private readonly telemetry: BastionTelemetry,
    private readonly routes: RouteSecurityMap,
  ) {
    this.tracing = telemetry.tracer !== undefined;
  }

  /** The route template of the handler a request reached (`/orders/:id`), for events, metrics and spans. */
  template(context: ExecutionContext): string | undefined {
    return context.getType() === 'http' ? this.routes.templateOf(context) : undefined;
  }

  /** Runs one step in its span while the request is traced; as it is otherwise. */
  step<T>(step: SecurityStep, context: ExecutionContext, run: () => Promise<T>): Promise<T> {
    const tracer = this.telemetry.tracer;
    if (!tracer || context.getType() !== 'http') return run();
    return tracer.trace(step, run, () => ({
      'http.route': this.template(context),
      'bastion.credential.type': principalOf(context.switchToHttp().getRequest<BastionRequest>())?.credential,
    }));
  }

  /** Reports a failed store call and the fail mode the step applied. */
  storeFailure(consumer: StoreConsumer, failMode: FailMode, error: unknown): void {
    this.telemetry.storeFailure(consumer, failMode, error);
  }
}

type Traced = { telemetry?: RequestTelemetry };

/**
 * Runs the decorated guard method as `step` in a span, through the guard's `telemetry` property (a
 * {@link RequestTelemetry}); without it, the method runs as it is. `contextOf` finds the execution
 * context in the method's first argument (default: it is the context).
 */
export function TracedStep(step: SecurityStep, contextOf: (arg: never) => ExecutionContext = (arg) => arg): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const method = descriptor.value as (this: Traced, ...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: Traced, ...args: unknown[]) {
      const telemetry = this.telemetry;
      return telemetry?.tracing ? telemetry.step(step, contextOf(args[0] as never), () => method.apply(this, args)) : method.apply(this, args);
    };
  };
}
