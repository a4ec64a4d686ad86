import { context, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A real OpenTelemetry SDK for one test app: metrics and spans kept in memory. */
export interface TestTelemetry {
  meterProvider: MeterProvider;
  tracerProvider: BasicTracerProvider;
  /** Collects and returns every metric exported so far (cumulative). */
  metrics(): Promise<MetricData[]>;
  /** Sum of a counter's data points whose attributes include `attributes` (0 when none). */
  count(name: string, attributes?: Attributes): Promise<number>;
  /** Data points of a metric (with their attributes). */
  points(name: string): Promise<{ attributes: Attributes; value: unknown }[]>;
  spans(): ReadableSpan[];
  /** Every attribute value exported so far (metric data points, span names, attributes and events). */
  exportedValues(): Promise<ExportedValue[]>;
  /** Shuts both providers down (what they exported stays available to {@link exportedValues}). */
  shutdown(): Promise<void>;
}

/** One exported attribute value and where it was found. */
export interface ExportedValue {
  where: string;
  value: string;
}

const REGISTRY = Symbol.for('bastion.test.telemetry');

/** Every TestTelemetry of this test file, so the log-capture check can scan what they exported. */
export function registeredTelemetry(): Set<TestTelemetry> {
  const g = globalThis as { [REGISTRY]?: Set<TestTelemetry> };
  return (g[REGISTRY] ??= new Set());
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/** The async-hooks context manager, so an active span follows a request through Nest (as the Node SDK sets up). */
export function enableContext(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

const matches = (point: Attributes, wanted: Attributes) => Object.entries(wanted).every(([k, v]) => point[k] === v);

/** A meter provider with an in-memory exporter and a tracer provider with an in-memory span exporter. */
export function testTelemetry(): TestTelemetry {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exported on demand (forceFlush) only: no timer-driven export during a test.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metrics = async () => {
    exporter.reset();
    await reader.forceFlush();
    return exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
  };
  const points = async (name: string) =>
    (await metrics())
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value as unknown, type: m.dataPointType })));
  let final: ExportedValue[] | undefined;
  const exportedValues = async (): Promise<ExportedValue[]> => {
    if (final) return final;
    const out: ExportedValue[] = [];
    for (const metric of await metrics()) {
      for (const point of metric.dataPoints as { attributes: Attributes }[]) {
        for (const [k, v] of Object.entries(point.attributes)) out.push({ where: `${metric.descriptor.name} ${k}`, value: String(v) });
      }
    }
    for (const span of spanExporter.getFinishedSpans()) {
      out.push({ where: 'span name', value: span.name });
      for (const [k, v] of Object.entries(span.attributes)) out.push({ where: `${span.name} ${k}`, value: String(v) });
      for (const event of span.events) out.push({ where: `${span.name} event`, value: `${event.name} ${JSON.stringify(event.attributes ?? {})}` });
    }
    return out;
  };
  const telemetry: TestTelemetry = {
    meterProvider,
    tracerProvider,
    metrics,
    points,
    async count(name, attributes = {}) {
      return (await points(name)).filter((p) => matches(p.attributes, attributes)).reduce((sum, p) => sum + (typeof p.value === 'number' ? p.value : (p.value as { count: number }).count), 0);
    },
    spans: () => spanExporter.getFinishedSpans(),
    exportedValues,
    async shutdown() {
      if (final) return;
      final = await exportedValues();
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
  registeredTelemetry().add(telemetry);
  return telemetry;
}

/**
 * Middleware that runs the rest of the request inside a recording server span, as an HTTP
 * instrumentation does; the span ends when the response is sent.
 */
export function requestSpans(provider: BasicTracerProvider) {
  return (req: { method?: string }, res: { once(event: 'finish', fn: () => void): unknown }, next: () => void) => {
    const span = provider.getTracer('test-http').startSpan(`${req.method ?? 'GET'}`, { kind: 1 });
    res.once('finish', () => span.end());
    context.with(trace.setSpan(context.active(), span), next);
  };
}
