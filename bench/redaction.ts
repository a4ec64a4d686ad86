/**
 * Worst-case cost of the redaction patterns: for each pattern, hostile strings built to make a
 * backtracking matcher re-scan (repeated prefixes that almost match), at the longest length the redactor
 * ever matches (`maxStringLength`, 16,384 characters). Reports ms per KB (median of runs) next to a plain
 * string of the same length (baseline). The hostile inputs are the ones the linear-time test uses
 * (packages/nest/test/audit/adversarial-inputs.ts).
 *
 *   cd bench && node --import @swc-node/register/esm-register redaction.ts [runs]
 */
import { writeFileSync } from 'node:fs';
import { ADVERSARIAL_INPUTS } from '../packages/nest/test/audit/adversarial-inputs.js';
import { redactPatterns } from '../packages/nest/src/audit/redaction-patterns.js';

const RUNS = Number(process.argv[2] ?? 21);
const LENGTH = 16_384;
const options = { pii: true, extra: [] };

function msPerKb(input: string): number {
  // Warm up first: a server pays the JIT-compiled steady state, not the first call.
  for (let i = 0; i < 5; i++) redactPatterns(input, options);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    redactPatterns(input, options);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]! / (input.length / 1024);
}

const plain = msPerKb('The quick brown fox jumps over the lazy dog. '.repeat(LENGTH / 45 + 1).slice(0, LENGTH));
const rows: [string, string, number][] = [];
for (const [pattern, inputs] of Object.entries(ADVERSARIAL_INPUTS)) {
  for (const [name, make] of Object.entries(inputs)) rows.push([pattern, name, msPerKb(make(LENGTH))]);
}
const worst = rows.reduce((a, b) => (b[2] > a[2] ? b : a));
const lines = [
  `# Redaction: worst-case cost per pattern (${LENGTH.toLocaleString('en')} characters, median of ${RUNS})`,
  '',
  `Plain text baseline: ${plain.toFixed(4)} ms/KB. Worst case: ${worst[0]} / ${worst[1]}: ${worst[2].toFixed(4)} ms/KB (${(worst[2] / plain).toFixed(1)}× plain).`,
  '',
  '| pattern | hostile input | ms per KB | × plain |',
  '|---|---|---|---|',
  ...rows.map(([p, n, v]) => `| ${p} | ${n} | ${v.toFixed(4)} | ${(v / plain).toFixed(1)} |`),
  '',
];
console.log(lines.join('\n'));
writeFileSync(new URL('./redaction.results.md', import.meta.url), lines.join('\n'));
