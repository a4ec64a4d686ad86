import type { Span, Tracer } from '@opentelemetry/api';
import { ERROR_TYPE, OTHER, errorType, reasonAttribute } from './attributes.js';
import type { OtelApi } from './otel-api.js';

/** The security steps that get a span: one each per request (`validate`: per validated argument). */
export type SecurityStep = 'block' | 'authenticate' | 'throttle' | 'authorize' | 'validate';

/** Attributes Bastion puts on step spans: names of configured things and codes only, never credentials. */
export type StepAttributes = Record<string, string | number | boolean | undefined>;

// SpanKind.INTERNAL and SpanStatusCode.ERROR, as numbers: the API's enums need not be loaded to use them.
const INTERNAL = 0;
const ERROR = 2;

/** A step whose decision is known: `allow` (passed), `deny` (refused with a reason code) or `error` (failed). */
export class StepSpan {
  constructor(private readonly span: Span) {}

  /** Adds attributes learnt during the step (the credential type once verified…). */
  set(attributes: StepAttributes): this {
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) this.span.setAttribute(key, value);
    return this;
  }

  allow(): void {
    this.span.setAttribute('bastion.decision', 'allow');
    this.span.end();
  }

  /** A refusal: its reason code; the span's status stays unset (a refusal is the step working). */
  deny(reason: string | undefined): void {
    this.span.setAttributes({ 'bastion.decision': 'deny', 'bastion.reason': reasonAttribute(reason) });
    this.span.end();
  }

  /** The step itself failed (not a decision): `error.type`, status ERROR; no message (it may hold data). */
  error(error: unknown): void {
    this.span.setAttributes({ 'bastion.decision': 'error', [ERROR_TYPE]: errorType(error) });
    this.span.setStatus({ code: ERROR });
    this.span.end();
  }
}

/**
 * Spans for Bastion's security steps, each a child of the request's active span: only while one is
 * active and recording (an unsampled or untraced request costs one look-up, and no orphan spans are made).
 */
export class StepTracer {
  constructor(
    private readonly api: OtelApi,
    private readonly tracer: Tracer,
  ) {}

  /** Starts the span of `step`, or returns `undefined` when the request is not traced. */
  start(step: SecurityStep, attributes: StepAttributes = {}): StepSpan | undefined {
    const parent = this.api.context.active();
    if (this.api.trace.getSpan(parent)?.isRecording() !== true) return undefined;
    const span = this.tracer.startSpan(`bastion.${step}`, { kind: INTERNAL }, parent);
    return new StepSpan(span).set(attributes);
  }

  /**
   * Runs `run` as `step`: `allow` when it resolves, `deny` with the reason when it rejects with a refusal
   * (an error carrying a `reason` or `code`, as Bastion's exceptions do), `error` otherwise. `describe`
   * adds what is known once the step ran (the route template, the credential type).
   */
  async trace<T>(step: SecurityStep, run: () => Promise<T>, describe?: () => StepAttributes): Promise<T> {
    const span = this.start(step);
    if (!span) return run();
    try {
      const result = await run();
      if (describe) span.set(describe());
      span.allow();
      return result;
    } catch (error) {
      if (describe) span.set(describe());
      const refusal = refusalReason(error);
      if (refusal !== undefined) span.deny(refusal);
      else span.error(error);
      throw error;
    }
  }
}

/**
 * The reason code of a refusal — an HTTP exception below 500: Bastion's `reason` when it is a code, else
 * its public `code`, else `ERR_HTTP_<status>` — or `undefined` for any other error.
 */
export function refusalReason(error: unknown): string | undefined {
  const e = error as { reason?: unknown; code?: unknown; getStatus?: () => number } | null;
  if (typeof e?.getStatus !== 'function' || e.getStatus() >= 500) return undefined;
  if (typeof e.reason === 'string' && reasonAttribute(e.reason) !== OTHER) return e.reason;
  return typeof e.code === 'string' ? e.code : `ERR_HTTP_${e.getStatus()}`;
}
