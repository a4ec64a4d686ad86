/** Markdown tables of the peer benchmark: medians over rounds, ratios from the same run, raw rows. */
import type { Adapter, AppKind } from './apps.js';
import type { Shot } from './load.js';
import type { Scenario } from './scenarios.js';

export interface Row extends Shot {
  round: number;
  scenario: Scenario;
  adapter: Adapter;
  app: AppKind;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Cell {
  rps: number;
  cpuUs: number;
  p50: number;
  p99: number;
  rounds: number;
  rpsRange: [number, number];
  cpuRange: [number, number];
}

/** Medians per scenario, adapter and app. */
export function cells(rows: Row[]): Map<string, Cell> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = cellKey(row.scenario.name, row.adapter, row.app);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const out = new Map<string, Cell>();
  for (const [key, group] of groups) {
    const rps = group.map((r) => r.rps);
    const cpu = group.map((r) => r.cpuUs);
    out.set(key, {
      rps: Math.round(median(rps)),
      cpuUs: Math.round(median(cpu)),
      p50: median(group.map((r) => r.p50)),
      p99: median(group.map((r) => r.p99)),
      rounds: group.length,
      rpsRange: [Math.min(...rps), Math.max(...rps)],
      cpuRange: [Math.min(...cpu), Math.max(...cpu)],
    });
  }
  return out;
}

export function cellKey(scenario: string, adapter: Adapter, app: AppKind): string {
  return `${scenario}|${adapter}|${app}`;
}

const num = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en-US'));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);

/**
 * One line per scenario and adapter: req/s and server CPU µs per request of each app (medians over the
 * rounds), and Bastion's ratios to the hand-wired and bare apps from the same run.
 */
export function summaryTable(rows: Row[], scenarios: readonly Scenario[], adapters: readonly Adapter[]): string[] {
  const c = cells(rows);
  const get = (s: Scenario, a: Adapter, app: AppKind) => c.get(cellKey(s.name, a, app));
  const lines = [
    '| scenario | adapter | req/s bare | req/s hand-wired | req/s Bastion | req/s Bastion ÷ hand-wired | req/s Bastion ÷ bare | CPU µs/req bare | CPU µs/req hand-wired | CPU µs/req Bastion | CPU Bastion ÷ hand-wired | CPU Bastion − hand-wired (µs) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of scenarios) {
    for (const a of adapters) {
      const [bare, hand, bastion] = (['bare', 'hand-wired', 'bastion'] as const).map((app) => get(s, a, app));
      if (!bare && !hand && !bastion) continue;
      const delta = bastion && hand ? `${bastion.cpuUs - hand.cpuUs > 0 ? '+' : ''}${bastion.cpuUs - hand.cpuUs}` : '–';
      lines.push(
        `| ${s.label} | ${a} | ${num(bare?.rps)} | ${num(hand?.rps)} | ${num(bastion?.rps)} | ${ratio(bastion?.rps, hand?.rps)} | ${ratio(bastion?.rps, bare?.rps)} | ${num(bare?.cpuUs)} | ${num(hand?.cpuUs)} | ${num(bastion?.cpuUs)} | ${ratio(bastion?.cpuUs, hand?.cpuUs)} | ${delta} |`,
      );
    }
  }
  return lines;
}

/**
 * What Bastion's telemetry costs: server CPU µs per request with metrics vs none, and with Bastion's
 * spans vs an SDK tracing the same requests without them, from the same run.
 */
export function telemetryTable(rows: Row[], scenarios: readonly Scenario[], adapters: readonly Adapter[]): string[] {
  const c = cells(rows);
  const lines = [
    '| scenario | adapter | CPU µs/req Bastion | with metrics | metrics − none (µs) | SDK tracing requests | with Bastion\'s metrics and spans | traced − SDK tracing (µs) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const delta = (a: Cell | undefined, b: Cell | undefined) => (a && b ? `${a.cpuUs - b.cpuUs > 0 ? '+' : ''}${a.cpuUs - b.cpuUs} (${ratio(a.cpuUs, b.cpuUs)})` : '–');
  for (const s of scenarios) {
    for (const a of adapters) {
      const [off, metrics, sdk, traced] = (['bastion', 'bastion-metrics', 'bastion-sdk-traced', 'bastion-traced'] as const).map((app) => c.get(cellKey(s.name, a, app)));
      if (!off && !metrics && !sdk && !traced) continue;
      lines.push(`| ${s.label} | ${a} | ${num(off?.cpuUs)} | ${num(metrics?.cpuUs)} | ${delta(metrics, off)} | ${num(sdk?.cpuUs)} | ${num(traced?.cpuUs)} | ${delta(traced, sdk)} |`);
    }
  }
  return lines;
}

/** Latency and spread per app. */
export function detailTable(rows: Row[], scenarios: readonly Scenario[], adapters: readonly Adapter[], apps: readonly AppKind[]): string[] {
  const c = cells(rows);
  const lines = ['| scenario | adapter | app | req/s (median; min–max) | CPU µs/req (median; min–max) | p50 ms | p99 ms | rounds |', '|---|---|---|---|---|---|---|---|'];
  for (const s of scenarios) {
    for (const a of adapters) {
      for (const app of apps) {
        const x = c.get(cellKey(s.name, a, app));
        if (!x) continue;
        lines.push(`| ${s.label} | ${a} | ${app} | ${num(x.rps)} (${num(x.rpsRange[0])}–${num(x.rpsRange[1])}) | ${x.cpuUs} (${x.cpuRange[0]}–${x.cpuRange[1]}) | ${x.p50} | ${x.p99} | ${x.rounds} |`);
      }
    }
  }
  return lines;
}

export function rawTable(rows: Row[]): string[] {
  return [
    '| round | scenario | adapter | app | requests | s | req/s | CPU µs/req | p50 ms | p99 ms | statuses | errors | load | others |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.round} | ${r.scenario.name} | ${r.adapter} | ${r.app} | ${r.requests} | ${r.seconds.toFixed(1)} | ${r.rps} | ${r.cpuUs} | ${r.p50} | ${r.p99} | ${JSON.stringify(r.statusCodes)} | ${r.errors + r.timeouts} | ${r.load1.toFixed(2)} | ${Math.round(r.others * 100)} % |`,
    ),
  ];
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
