// Prints the one closing line CI reads ("N passed, M failed[, K skipped]") from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
// A file that failed outside any test (failed to load, a hook threw) counts as one failure, since vitest's
// numFailedTests only counts tests.
const fileErrors = (r.testResults ?? []).filter(
  (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests + fileErrors} failed${skipped ? `, ${skipped} skipped` : ''}`);
