import type { MetricDefinition } from '../../src/telemetry/metric-definitions.js';

/** A metric or attribute name as the OpenTelemetry Prometheus exporter writes it (`.` → `_`). */
export const promLabel = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

/**
 * The Prometheus series a metric becomes through the OpenTelemetry JS Prometheus exporter: counters get
 * `_total`, histograms `_bucket`/`_sum`/`_count`, gauges keep their name (no unit suffix is added).
 */
export function prometheusSeries(definition: MetricDefinition): string[] {
  const base = promLabel(definition.name);
  if (definition.kind === 'counter' || definition.kind === 'observable-counter') return [`${base}_total`];
  if (definition.kind === 'histogram') return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
  return [base];
}

/** The name in `# TYPE` lines (histograms and gauges: the base name). */
export function prometheusFamily(definition: MetricDefinition): string {
  return prometheusSeries(definition)[0]!.replace(/_bucket$/, '');
}
