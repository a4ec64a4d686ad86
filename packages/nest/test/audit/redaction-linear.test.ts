import { describe, expect, it } from 'vitest';
import { redactPatterns } from '../../src/audit/redaction-patterns.js';
import { ADVERSARIAL_INPUTS } from './adversarial-inputs.js';

/** The longest string the redactor ever matches (`maxStringLength`'s default): longer ones are cut first. */
const MAX_LOGGED = 16_384;
/**
 * Bound on the cost of one string, per KB. The slowest hostile input measures about 0.1 ms/KB on the
 * project's 2-core machine (bench/redaction.results.md; a plain string ≈ 0.002 ms/KB); 2 ms/KB leaves 20×
 * slack for a loaded CI machine. The quadratic JWT pattern this replaced took ≈ 8 ms/KB at this length,
 * and a quadratic matcher's cost per KB keeps growing with the length.
 */
const BOUND_MS_PER_KB = 2;

function msPerKb(input: string): number {
  const options = { pii: true, extra: [] };
  for (let i = 0; i < 5; i++) redactPatterns(input, options); // let the JIT settle: the steady state is what a server pays
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = process.hrtime.bigint();
    redactPatterns(input, options);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[4]! / (input.length / 1024);
}

describe('redaction patterns: linear time on hostile input', () => {
  const cases = Object.entries(ADVERSARIAL_INPUTS).flatMap(([pattern, inputs]) => Object.entries(inputs).map(([name, make]) => [`${pattern}: ${name}`, make] as const));
  it.each(cases)('%s, at the maximum logged length, stays under the per-KB bound', (_name, make) => {
    const input = make(MAX_LOGGED);
    expect(input).toHaveLength(MAX_LOGGED);
    expect(msPerKb(input)).toBeLessThan(BOUND_MS_PER_KB);
  });
});
