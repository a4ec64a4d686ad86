/**
 * OpenTelemetry set-ups of the telemetry apps of the peer benchmark (`--apps bastion,bastion-metrics,
 * bastion-sdk-traced,bastion-traced`): the same Bastion app, measuring what Bastion's telemetry costs.
 *
 * - `metrics`: a MeterProvider with the Prometheus exporter (never scraped during a window: recording cost);
 * - `sdk-traced`: a tracer provider and a server span per request (what the HTTP instrumentation makes),
 *   batched to a discarding exporter, Bastion's telemetry off — the baseline of `traced`;
 * - `traced`: the same with Bastion's metrics and per-step spans.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { BastionOptions } from '@bastion/nest';

export type TelemetryMode = 'metrics' | 'sdk-traced' | 'traced';

type Middleware = (req: { method?: string }, res: { once(e: 'finish', f: () => void): void }, next: () => void) => void;

/** Bastion's `telemetry` option for a mode, and the middleware that makes the request spans (traced modes). */
export function telemetrySetUp(mode: TelemetryMode): { telemetry: BastionOptions['telemetry']; requestSpans: Middleware | undefined } {
  const traced = mode !== 'metrics';
  const dropSpans: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
  const tracerProvider = traced ? new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] }) : undefined;
  if (traced) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const meterProvider = mode === 'sdk-traced' ? undefined : new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
  const telemetry: BastionOptions['telemetry'] = mode === 'sdk-traced' ? { enabled: false } : { meterProvider, tracerProvider: tracerProvider ?? false };
  const tracer = tracerProvider?.getTracer('http');
  const requestSpans: Middleware | undefined = tracer
    ? (req, res, next) => {
        const span = tracer.startSpan(`${req.method} request`, { kind: 1 });
        res.once('finish', () => span.end());
        context.with(trace.setSpan(context.active(), span), next);
      }
    : undefined;
  return { telemetry, requestSpans };
}
