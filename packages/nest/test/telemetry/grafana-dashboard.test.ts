import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASTION_METRICS, type MetricDefinition } from '../../src/telemetry/metric-definitions.js';
import { prometheusSeries, promLabel } from '../support/prometheus-names.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string }[];
}

const dashboard = JSON.parse(readFileSync(new URL('../../../../docs/grafana/bastion.json', import.meta.url), 'utf8')) as {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
};

// Every series name the code's metric definitions produce, with the definition it comes from.
const SERIES = new Map<string, MetricDefinition>(Object.values(BASTION_METRICS).flatMap((d: MetricDefinition) => prometheusSeries(d).map((s) => [s, d] as const)));
// Labels Prometheus itself adds (target labels) and PromQL's bucket label.
const PROMETHEUS_LABELS = new Set(['job', 'instance', 'le']);
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** Metric names an expression selects (label matchers and `by (…)` clauses removed first). */
function metricsIn(expr: string): string[] {
  const selectorsOnly = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without)\s*\([^)]*\)/g, '');
  return [...selectorsOnly.matchAll(/\b(bastion_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

/** Label names an expression uses: in selectors `{a="…"}` and in `by (…)` clauses. */
function labelsIn(expr: string): string[] {
  const labels: string[] = [];
  for (const selector of expr.matchAll(/\{([^}]*)\}/g)) labels.push(...[...selector[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!));
  for (const by of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) labels.push(...by[1]!.split(',').map((l) => l.trim()).filter(Boolean));
  return labels;
}

describe('docs/grafana/bastion.json', () => {
  it('is a Grafana dashboard with a Prometheus datasource variable and a job filter', () => {
    expect(dashboard).toMatchObject({ title: expect.any(String), uid: 'bastion-security', schemaVersion: expect.any(Number) });
    expect(dashboard.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['job', 'query'],
    ]);
    for (const { panel, expr } of queries) expect(expr, panel).toContain('job=~"$job"');
  });

  it('has unique panel ids, a layout within 24 columns without overlaps, and a datasource and refIds on every query panel', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
        expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
        cells.add(`${i},${j}`);
      }
      if (p.type === 'row') continue;
      expect(['timeseries', 'stat', 'table', 'bargauge']).toContain(p.type);
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('queries only metrics the code defines, with only the labels they carry', () => {
    for (const { panel, expr } of queries) {
      const metrics = metricsIn(expr);
      expect(metrics.length, panel).toBeGreaterThan(0);
      for (const metric of metrics) expect(SERIES.has(metric), `${panel}: ${metric} is not a Bastion metric`).toBe(true);
      const allowed = new Set([...PROMETHEUS_LABELS, ...metrics.flatMap((m) => SERIES.get(m)!.attributes.map(promLabel))]);
      for (const label of labelsIn(expr)) if (!PROMQL_WORDS.has(label)) expect(allowed.has(label), `${panel}: label ${label}`).toBe(true);
      // Balanced brackets: a typo that Grafana would only report at display time.
      for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) expect(expr.split(open).length, `${panel}: ${open}${close}`).toBe(expr.split(close).length);
    }
  });

  it('the checks bite: an unknown metric or label is caught', () => {
    expect(SERIES.has('bastion_authentication_failures_total')).toBe(false);
    expect(metricsIn('sum by (bastion_reason) (rate(bastion_alerts_total{bastion_alert_rule="x"}[5m]))')).toEqual(['bastion_alerts_total']);
    expect(labelsIn('sum by (bastion_subject) (rate(bastion_alerts_total{job=~"$job"}[5m]))')).toEqual(['job', 'bastion_subject']);
  });

  it('has the panels an on-call engineer needs', () => {
    const used = new Set(queries.flatMap((q) => metricsIn(q.expr)));
    const needed = {
      '401 by reason': 'bastion_authentication_attempts_total',
      '403 by reason': 'bastion_authorization_denials_total',
      '429 by reason and throttled routes': 'bastion_throttle_rejections_total',
      'verification latency': 'bastion_verification_duration_bucket',
      'key-set age': 'bastion_key_set_age',
      'JWKS refresh failures': 'bastion_issuer_fetches_total',
      'store errors': 'bastion_store_errors_total',
      'store latency': 'bastion_store_duration_bucket',
      alerts: 'bastion_alerts_total',
    };
    for (const [what, metric] of Object.entries(needed)) expect(used.has(metric), what).toBe(true);
    const latency = queries.filter((q) => q.expr.includes('bastion_verification_duration_bucket')).map((q) => q.expr);
    expect(latency.some((e) => e.startsWith('histogram_quantile(0.5,') && e.includes('bastion_token_cache'))).toBe(true);
    expect(latency.some((e) => e.startsWith('histogram_quantile(0.99,') && e.includes('bastion_token_cache'))).toBe(true);
    expect(queries.some((q) => q.expr.includes('bastion_throttle_rejections_total') && q.expr.includes('http_route'))).toBe(true);
  });
});
