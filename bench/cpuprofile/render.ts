/** Markdown tables of {@link Analysis} results, in µs per request. */
import type { Analysis, Attributed } from './analyse.js';

const per = (a: Analysis, us: number) => us / a.requests;
const f1 = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));

/** Self time by category, one column per profile, plus the process's CPU time for scale. */
export function categoryTable(columns: Array<{ name: string; a: Analysis }>): string[] {
  const categories = new Set(columns.flatMap((c) => [...c.a.byCategory.keys()]));
  const rows = [...categories].sort((x, y) => Math.max(...columns.map((c) => c.a.byCategory.get(y) ?? 0)) - Math.max(...columns.map((c) => c.a.byCategory.get(x) ?? 0)));
  return [
    `| self time, µs/request | ${columns.map((c) => c.name).join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...rows.map((cat) => `| ${cat} | ${columns.map((c) => f1(per(c.a, c.a.byCategory.get(cat) ?? 0))).join(' | ')} |`),
    `| **JS thread, busy (sampled)** | ${columns.map((c) => `**${f1(per(c.a, c.a.busyUs))}**`).join(' | ')} |`,
    `| of which under a Bastion frame | ${columns.map((c) => f1(per(c.a, c.a.underBastionUs))).join(' | ')} |`,
    `| process CPU, all threads (cpuUsage) | ${columns.map((c) => (c.a.cpuUs ? f1(per(c.a, c.a.cpuUs)) : '–')).join(' | ')} |`,
    `| requests in the window | ${columns.map((c) => c.a.requests.toLocaleString('en-US')).join(' | ')} |`,
  ];
}

function callees(a: Analysis, x: Attributed): string {
  return [...x.callees.entries()]
    .sort((p, q) => q[1] - p[1])
    .filter(([, us]) => per(a, us) >= 0.1)
    .slice(0, 4)
    .map(([cat, us]) => `${cat} ${f1(per(a, us))}`)
    .join(', ');
}

function attributedTable(a: Analysis, map: Map<string, Attributed>, top: number): string[] {
  const ranked = [...map.values()].sort((x, y) => y.totalUs - x.totalUs).slice(0, top);
  return [
    '| # | µs/req | function | where | own code | calls into (µs/req) |',
    '|---|---|---|---|---|---|',
    ...ranked.map((x, i) => `| ${i + 1} | ${f1(per(a, x.totalUs))} | \`${x.frame.name}\` | ${x.frame.location} | ${f1(per(a, x.selfUs))} | ${callees(a, x)} |`),
  ];
}

/** Bastion's hot spots: each sample charged to the Bastion frame nearest the leaf. */
export function hotSpotTable(a: Analysis, top = 25): string[] {
  return attributedTable(a, a.bastionInnermost, top);
}

/** Bastion's layers: each sample charged to the Bastion frame nearest the root (the entry Nest or the adapter called). */
export function entryTable(a: Analysis, top = 15): string[] {
  return attributedTable(a, a.bastionEntries, top);
}

/** The functions with the most self time, any owner. */
export function functionTable(a: Analysis, top = 25): string[] {
  const ranked = [...a.byFunction.values()].sort((x, y) => y.selfUs - x.selfUs).slice(0, top);
  return ['| # | µs/req | function | category | where |', '|---|---|---|---|---|', ...ranked.map((x, i) => `| ${i + 1} | ${f1(per(a, x.selfUs))} | \`${x.frame.name}\` | ${x.frame.category} | ${x.frame.location} |`)];
}

/** Functions whose self time per request grew most from `base` to `a` (what `a`'s extra layers make others do). */
export function diffTable(a: Analysis, base: Analysis, top = 25, exclude?: string): string[] {
  const keys = new Set([...a.byFunction.keys(), ...base.byFunction.keys()]);
  const rows = [...keys]
    .map((key) => {
      const x = a.byFunction.get(key);
      const y = base.byFunction.get(key);
      return { frame: (x ?? y)!.frame, delta: per(a, x?.selfUs ?? 0) - per(base, y?.selfUs ?? 0), mine: per(a, x?.selfUs ?? 0), theirs: per(base, y?.selfUs ?? 0) };
    })
    .filter((r) => r.frame.category !== exclude)
    .sort((p, q) => q.delta - p.delta)
    .slice(0, top);
  return [
    '| # | Δ µs/req | function | category | where | this | baseline |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r, i) => `| ${i + 1} | ${r.delta >= 0 ? '+' : ''}${f1(r.delta)} | \`${r.frame.name}\` | ${r.frame.category} | ${r.frame.location} | ${f1(r.mine)} | ${f1(r.theirs)} |`),
  ];
}

/** A markdown section: heading, blank line, body, blank line. */
export function section(level: number, title: string, body: string[]): string[] {
  return [`${'#'.repeat(level)} ${title}`, '', ...body, ''];
}
