import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASTION_METRICS, type MetricDefinition } from '../../src/telemetry/metric-definitions.js';

const doc = readFileSync(new URL('../../../../docs/operations.md', import.meta.url), 'utf8');

/** The rows of the markdown table that follows `heading`. */
function table(heading: string): string[][] {
  const start = doc.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
  }
  return rows;
}

const KIND_TEXT: Record<MetricDefinition['kind'], string> = { counter: 'counter', histogram: 'histogram', gauge: 'gauge (observable)', 'observable-counter': 'counter (observable)' };
const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/operations.md', () => {
  it('lists every metric exactly as the code defines it (name, type, unit, labels)', () => {
    const rows = table('Every metric, in one table');
    const definitions = Object.values(BASTION_METRICS) as MetricDefinition[];
    expect(rows.map((r) => code(r[0]!)[0])).toEqual(definitions.map((d) => d.name));
    for (const [name, type, unit, labels] of rows) {
      const definition = definitions.find((d) => d.name === code(name!)[0])!;
      expect(type, definition.name).toBe(KIND_TEXT[definition.kind]);
      expect(code(unit!), definition.name).toEqual([definition.unit]);
      expect(code(labels!), definition.name).toEqual([...definition.attributes]);
    }
  });

  it('explains the values of every label any metric carries', () => {
    const documented = new Set(table('### Labels').map((r) => code(r[0]!)[0]));
    const used = new Set(Object.values(BASTION_METRICS).flatMap((d: MetricDefinition) => d.attributes));
    expect([...used].filter((l) => !documented.has(l))).toEqual([]);
    expect([...documented].filter((l) => !used.has(l!))).toEqual([]);
  });
});
